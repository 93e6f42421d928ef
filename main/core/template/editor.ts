import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, type Document } from 'yaml';

export type PropertyPath = ReadonlyArray<string | number>;

/** One change to a resource's Properties; a value of undefined removes the property. */
export interface PropertyEdit {
  logicalId: string;
  path: PropertyPath;
  value: unknown;
}

/**
 * Applies edits to a template document in place. Comments, key order and the formatting of
 * untouched nodes stay as they were, because only the edited nodes change.
 */
export function applyEdits(document: Document, edits: readonly PropertyEdit[]): void {
  for (const edit of edits) {
    const resource = document.getIn(['Resources', edit.logicalId]);
    if (!isMap(resource)) throw new Error(`Resource ${edit.logicalId} is not in the template.`);
    const fullPath = ['Resources', edit.logicalId, 'Properties', ...edit.path];
    if (edit.value === undefined) {
      if (document.hasIn(fullPath)) document.deleteIn(fullPath);
      pruneEmptyParents(document, fullPath.slice(0, -1), 3);
    } else {
      document.setIn(fullPath, document.createNode(edit.value));
    }
  }
}

/** Removes maps that an edit left empty, down to (not including) the first `keep` path parts. */
function pruneEmptyParents(document: Document, parentPath: Array<string | number>, keep: number): void {
  for (let length = parentPath.length; length > keep; length -= 1) {
    const node = document.getIn(parentPath.slice(0, length));
    if (isMap(node) && node.items.length === 0) document.deleteIn(parentPath.slice(0, length));
    else break;
  }
}

/** Writes the file through a temporary file and a rename, so that a reader never sees half of it. */
export function writeFileAtomically(file: string, content: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temporary, content);
  if (existsSync(file)) chmodSync(temporary, statSync(file).mode & 0o7777);
  renameSync(temporary, file);
}

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, Pair, YAMLMap, YAMLSeq, type Document, type Node, type Scalar } from 'yaml';

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
/** The current resolved value of a property, to tell an unchanged tagged value from a new one. */
export type ResolvedValue = (logicalId: string, path: PropertyPath) => unknown;

export function applyEdits(document: Document, edits: readonly PropertyEdit[], resolved?: ResolvedValue): void {
  for (const edit of edits) {
    const resource = document.getIn(['Resources', edit.logicalId]);
    if (!isMap(resource)) throw new Error(`Resource ${edit.logicalId} is not in the template.`);
    const fullPath = ['Resources', edit.logicalId, 'Properties', ...edit.path];
    if (edit.value === undefined) {
      if (document.hasIn(fullPath)) document.deleteIn(fullPath);
      pruneEmptyParents(document, fullPath.slice(0, -1), 3);
    } else {
      setPreserving(document, fullPath, edit.value, (subPath) => resolved?.(edit.logicalId, [...edit.path, ...subPath]));
    }
  }
}

/**
 * Sets a value while keeping what it does not change: a scalar keeps its node (and so its inline
 * comment and quoting), and a map is updated key by key instead of being replaced.
 */
function setPreserving(
  document: Document,
  fullPath: Array<string | number>,
  value: unknown,
  resolvedAt: (subPath: Array<string | number>) => unknown,
  subPath: Array<string | number> = [],
): void {
  const existing = document.getIn(fullPath, true) as unknown;
  // A value written as an intrinsic (!Ref, !GetAtt, !Sub) that resolves to the new value stays as written.
  const tagged =
    (existing as { tag?: string } | undefined)?.tag?.startsWith('!') ||
    (isMap(existing) && existing.items.length === 1 && /^(Ref|Fn::)/.test(String((existing.items[0]?.key as { value?: unknown })?.value)));
  if (tagged && JSON.stringify(resolvedAt(subPath)) === JSON.stringify(value)) return;
  if (isScalar(existing) && !existing.tag && (value === null || ['string', 'number', 'boolean'].includes(typeof value))) {
    existing.value = value;
    return;
  }
  if (isMap(existing) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const wanted = value as Record<string, unknown>;
    for (const pair of [...existing.items]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!(key in wanted)) existing.delete(pair.key);
    }
    for (const [key, item] of Object.entries(wanted)) setPreserving(document, [...fullPath, key], item, resolvedAt, [...subPath, key]);
    return;
  }
  document.setIn(fullPath, templateNode(document, value));
}

/**
 * Makes a yaml node of a value, writing intrinsic functions in their short form as people write
 * them in SAM templates: { Ref: X } as !Ref X, { 'Fn::GetAtt': [X, Arn] } as !GetAtt X.Arn.
 */
export function templateNode(document: Document, value: unknown): Node {
  if (Array.isArray(value)) {
    const sequence = new YAMLSeq();
    for (const item of value) sequence.add(templateNode(document, item));
    return sequence;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const [onlyKey, onlyValue] = entries.length === 1 ? entries[0]! : [undefined, undefined];
    if (onlyKey === 'Ref' && typeof onlyValue === 'string') return taggedScalar(document, '!Ref', onlyValue);
    if (
      onlyKey === 'Fn::GetAtt' &&
      Array.isArray(onlyValue) &&
      onlyValue.length === 2 &&
      onlyValue.every((part) => typeof part === 'string')
    ) {
      return taggedScalar(document, '!GetAtt', onlyValue.join('.'));
    }
    const map = new YAMLMap();
    for (const [key, item] of entries) map.add(new Pair(document.createNode(key), templateNode(document, item)));
    return map;
  }
  return document.createNode(value) as Node;
}

function taggedScalar(document: Document, tag: string, text: string): Node {
  const node = document.createNode(text) as Scalar;
  node.tag = tag;
  return node;
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
export function writeFileAtomically(file: string, content: string | Uint8Array): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temporary, content);
  if (existsSync(file)) chmodSync(temporary, statSync(file).mode & 0o7777);
  renameSync(temporary, file);
}

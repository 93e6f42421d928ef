import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { writeFileAtomically } from '../core/template/editor.js';
import type { CodeFile } from '../contract/types.js';

/** Files larger than this open read-only in the editor's place: they are not source code. */
const MAX_EDITABLE_BYTES = 5 * 1024 * 1024;
const MAX_ENTRIES = 5_000;
/** Folders listed but not walked: they hold installed packages, not the function's own code. */
const OPAQUE_FOLDERS = new Set(['node_modules', '.git', '__pycache__']);

/** Reads and writes the files of a function's code folder, never outside it. */
export class CodeFiles {
  list(root: string): CodeFile[] {
    const files: CodeFile[] = [];
    const walk = (relative: string): void => {
      for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (files.length >= MAX_ENTRIES) return;
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          files.push({ path: child, kind: 'folder', sizeBytes: 0 });
          if (!OPAQUE_FOLDERS.has(entry.name)) walk(child);
        } else if (entry.isFile()) {
          files.push({ path: child, kind: 'file', sizeBytes: statSync(path.join(root, child)).size });
        }
      }
    };
    walk('');
    return files;
  }

  read(root: string, relative: string): string {
    const file = this.resolveInside(root, relative);
    if (!existsSync(file) || !lstatSync(file).isFile()) throw new InputError('path', `${relative} is not a file of the code folder.`);
    const size = statSync(file).size;
    if (size > MAX_EDITABLE_BYTES)
      throw new InputError('path', `${relative} is ${size} bytes, too large to edit here (the limit is ${MAX_EDITABLE_BYTES} bytes).`);
    const content = readFileSync(file);
    // A NUL byte marks a binary file (an image, a compiled module): text editing would corrupt it.
    if (content.subarray(0, 8_192).includes(0))
      throw new InputError('path', `${relative} is a binary file; it is not opened in the editor.`);
    return content.toString('utf8');
  }

  write(root: string, relative: string, content: string): void {
    const file = this.resolveInside(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    // A folder on the way may be a link; where it really is must still be inside.
    const base = realpathSync(root);
    const parent = realpathSync(path.dirname(file));
    if (parent !== base && !parent.startsWith(base + path.sep))
      throw new InputError('path', `${relative} leads outside the function's code folder.`);
    writeFileAtomically(file, content);
  }

  /** Resolves a path of the code folder, rejecting one that would lead outside it. */
  private resolveInside(root: string, relative: string): string {
    const base = realpathSync(root);
    const resolved = path.resolve(base, relative);
    if (resolved !== base && !resolved.startsWith(base + path.sep))
      throw new InputError('path', `${relative} is outside the function's code folder.`);
    if (existsSync(resolved)) {
      const real = realpathSync(resolved);
      if (real !== base && !real.startsWith(base + path.sep))
        throw new InputError('path', `${relative} leads outside the function's code folder.`);
    }
    return resolved;
  }
}

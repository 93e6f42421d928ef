import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Finds the folder with the workbench's package.json, whether it runs from sources or from dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'runtime-images'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the lambda-workbench package folder (package.json beside runtime-images/).');
    dir = parent;
  }
  cached = dir;
  return dir;
}

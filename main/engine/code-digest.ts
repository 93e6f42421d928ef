import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FunctionConfig } from '../core/template/function-config.js';
import { zipFolderToBuffer } from './packaging.js';

export interface CodeDigest {
  sha256: string;
  size: number;
}

const digestCache = new Map<string, { signature: string; digest: CodeDigest }>();

/**
 * CodeSha256 (base64 SHA-256) and CodeSize of the deployment package, as Lambda computes them. For
 * a folder the package is the .zip that `lambda-workbench package` writes, so the figures match
 * Lambda's once that .zip is deployed.
 */
export async function codeDigest(fn: FunctionConfig): Promise<CodeDigest> {
  const code = fn.code;
  if (code.kind === 'image') return { sha256: '', size: 0 };
  if (code.kind === 'inline') return digestOf(Buffer.from(code.source));
  const signature = code.kind === 'zip' ? String(statSync(code.path).mtimeMs) : folderSignature(code.path);
  const cached = digestCache.get(code.path);
  if (cached && cached.signature === signature) return cached.digest;
  const content = code.kind === 'zip' ? readFileSync(code.path) : await zipFolderToBuffer(code.path);
  const digest = digestOf(content);
  digestCache.set(code.path, { signature, digest });
  return digest;
}

function digestOf(content: Buffer): CodeDigest {
  return { sha256: createHash('sha256').update(content).digest('base64'), size: content.length };
}

/** Names, sizes and modification times of a folder's files: what changes when the code changes. */
function folderSignature(root: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(root)) {
    const stat = statSync(path.join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\0${stat.mode}\n`);
  }
  return hash.digest('hex');
}

function listFiles(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(root, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

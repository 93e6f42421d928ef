import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FunctionConfig } from '../core/template/function-config.js';

export interface CodeDigest {
  sha256: string;
  size: number;
}

const digestCache = new Map<string, { mtimeMs: number; digest: CodeDigest }>();

/**
 * CodeSha256 (base64 SHA-256) and CodeSize of the deployment package. For a .zip this is
 * exactly Lambda's figure.
 */
export function codeDigest(fn: FunctionConfig): CodeDigest {
  const code = fn.code;
  if (code.kind === 'inline') return { sha256: sha256Base64([Buffer.from(code.source)]), size: Buffer.byteLength(code.source) };
  if (code.kind === 'image') return { sha256: '', size: 0 };
  if (code.kind === 'zip') {
    const stat = statSync(code.path);
    const cached = digestCache.get(code.path);
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached.digest;
    const content = readFileSync(code.path);
    const digest = { sha256: sha256Base64([content]), size: content.length };
    digestCache.set(code.path, { mtimeMs: stat.mtimeMs, digest });
    return digest;
  }
  {
    // NOTE: for a folder this hashes the files in name order, not the zip that `sam build`
    // would make, so the figures differ from what Lambda reports after a deployment.
    const parts: Buffer[] = [];
    let size = 0;
    for (const file of listFiles(code.path)) {
      const content = readFileSync(path.join(code.path, file));
      parts.push(Buffer.from(`${file}\0`), content);
      size += content.length;
    }
    return { sha256: sha256Base64(parts), size };
  }
}

function sha256Base64(parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('base64');
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

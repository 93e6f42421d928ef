import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { functionArn, logGroupName } from '../core/lambda-format.js';
import type { FunctionConfig } from '../core/template/function-config.js';

export interface AccountIdentity {
  region: string;
  accountId: string;
}

interface CodeDigest {
  sha256: string;
  size: number;
}

const digestCache = new Map<string, { mtimeMs: number; digest: CodeDigest }>();

/** Lambda's FunctionConfiguration document for a function of the workspace ($LATEST). */
export function functionConfiguration(fn: FunctionConfig, account: AccountIdentity, lastModified: Date): Record<string, unknown> {
  const digest = codeDigest(fn);
  const role = typeof fn.properties.Role === 'string' ? fn.properties.Role : `arn:aws:iam::${account.accountId}:role/${fn.name}-role`;
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(account.region, account.accountId, fn.name),
    ...(fn.runtime ? { Runtime: fn.runtime.id } : {}),
    Role: role,
    ...(fn.handler ? { Handler: fn.handler } : {}),
    CodeSize: digest.size,
    Description: fn.description,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: formatLastModified(lastModified),
    CodeSha256: digest.sha256,
    Version: '$LATEST',
    ...(Object.keys(fn.environment).length > 0 ? { Environment: { Variables: fn.environment } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId(fn, digest),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: fn.packageType,
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupName(fn.name) },
  };
}

/** Lambda writes LastModified as 2026-12-04T20:13:11.000+0000. */
export function formatLastModified(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function revisionId(fn: FunctionConfig, digest: CodeDigest): string {
  const hex = createHash('sha256').update(JSON.stringify(fn.properties)).update(digest.sha256).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

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

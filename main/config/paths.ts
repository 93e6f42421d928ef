import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Returns the workbench's data folder: LAMBDA_WORKBENCH_HOME when set, else the platform's usual place
 * for application data.
 */
export function dataRoot(): string {
  const override = process.env.LAMBDA_WORKBENCH_HOME;
  if (override) return path.resolve(override);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'lambda-workbench');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'lambda-workbench');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'lambda-workbench');
}

/** Names a workspace after its folder and a hash of its template's path; stable across runs. */
export function workspaceKey(templatePath: string): string {
  const absolute = path.resolve(templatePath);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const name = path.basename(path.dirname(absolute)).replace(/[^A-Za-z0-9_.-]/g, '_') || 'workspace';
  return `${name}-${hash}`;
}

/** Returns the data folder of one workspace, named by its workspace key. */
export function workspaceDataDir(templatePath: string): string {
  const dir = path.join(dataRoot(), 'workspaces', workspaceKey(templatePath));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Shared caches (extracted code packages) that do not belong to one workspace. */
export function cacheDir(name: string): string {
  const dir = path.join(dataRoot(), 'cache', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

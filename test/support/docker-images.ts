import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { workspaceKey } from '../../main/config/paths.js';

/**
 * Removes the images the workbench built for the Image functions of a temporary workspace (one
 * under the system's temporary folder), so that test runs do not pile up image tags.
 */
export function removeWorkspaceImages(templatePath: string): void {
  if (!path.resolve(templatePath).startsWith(path.resolve(os.tmpdir()) + path.sep)) return;
  const prefix = `lambda-workbench-fn/${workspaceKey(templatePath).toLowerCase()}-`;
  const tags = execFileSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
    .split('\n')
    .filter((tag) => tag.startsWith(prefix));
  if (tags.length > 0) execFileSync('docker', ['rmi', ...tags], { stdio: 'ignore' });
}

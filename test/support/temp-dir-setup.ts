import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Gives the test run its own temporary folder (TMPDIR, which os.tmpdir() reads in every worker)
 * and removes it afterwards, so copied workspaces and data folders do not pile up in /tmp.
 */
export default function setup(): () => void {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'lwb-run-'));
  process.env.TMPDIR = runDir;
  return () => {
    try {
      rmSync(runDir, { recursive: true, force: true });
    } catch (error) {
      process.stderr.write(`The test run's temporary folder ${runDir} could not be removed: ${(error as Error).message}\n`);
    }
  };
}

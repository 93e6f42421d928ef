import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkbenchError } from '../core/errors.js';
import { findDebianArchive } from './apt-sources.js';
import type { BuildProgress, ContainerEngine } from './engine.js';

export const ROOTFS_IMAGE_PREFIX = 'lambda-workbench/debian-rootfs';

/**
 * Builds an offline Debian root file system image, for machines where no container registry
 * responds: debootstrap from the mirror in the machine's apt sources, then docker import.
 * debootstrap must run as root.
 */
export async function buildOfflineRootfs(engine: ContainerEngine, progress: BuildProgress): Promise<string> {
  const archive = findDebianArchive();
  if (!archive) {
    throw new WorkbenchError(
      'NoDebianMirror',
      'platform',
      'No Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d; cannot build the offline base image.',
    );
  }
  if (!existsSync('/usr/sbin/debootstrap') && !existsSync('/usr/bin/debootstrap')) {
    throw new WorkbenchError(
      'DebootstrapMissing',
      'platform',
      'debootstrap is not installed; install it (apt-get install debootstrap) to build the offline base image.',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new WorkbenchError(
      'DebootstrapNeedsRoot',
      'platform',
      'Building the offline base image runs debootstrap, which needs root: run `sudo lambda-workbench images build` once.',
    );
  }

  const reference = `${ROOTFS_IMAGE_PREFIX}:${archive.suite}`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lambda-workbench-rootfs-'));
  const rootfs = path.join(workDir, 'rootfs');
  try {
    progress(`debootstrap ${archive.suite} from ${archive.mirror}`);
    await runDebootstrap(['--variant=minbase', archive.suite, rootfs, archive.mirror], progress);
    progress(`Importing the root file system as ${reference}`);
    await engine.importImage(tarOf(rootfs), reference);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return reference;
}

function runDebootstrap(args: string[], progress: BuildProgress): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('debootstrap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let retrieved = 0;
    let tail = '';
    const onLine = (line: string): void => {
      tail = `${tail}\n${line}`.slice(-2000);
      if (line.startsWith('I: Retrieving')) {
        retrieved += 1;
        if (retrieved % 20 === 0) progress(`debootstrap: ${retrieved} packages retrieved`);
      } else if (
        /^I: (Extracting|Installing|Configuring|Base system)/.test(line) &&
        !line.startsWith('I: Extracting ') &&
        !line.startsWith('I: Configuring ')
      ) {
        progress(`debootstrap: ${line.slice(3)}`);
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new WorkbenchError('DebootstrapFailed', 'platform', `debootstrap exited with status ${code}:${tail}`));
    });
  });
}

/** Streams a folder as a tar archive by running tar, which keeps owners, modes and device files. */
function tarOf(folder: string): NodeJS.ReadableStream {
  const child = spawn('tar', ['-C', folder, '--numeric-owner', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return child.stdout;
}

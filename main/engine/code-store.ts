import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { errorMessage, WorkbenchError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { FunctionCode } from '../core/template/function-config.js';
import type { RuntimeInfo } from '../core/runtimes.js';

/**
 * Turns a function's code (folder, .zip or inline source) into a folder that can be mounted at
 * /var/task. Archives and inline code are unpacked once into a cache keyed by their SHA-256, so
 * every environment of every function with the same package shares one copy.
 */
export class CodeStore {
  constructor(private readonly cacheRoot: string) {}

  async folderFor(code: FunctionCode, runtime: RuntimeInfo | undefined): Promise<string> {
    switch (code.kind) {
      case 'folder':
        return code.path;
      case 'zip':
        return this.unpackZip(code.path);
      case 'inline':
        return this.writeInline(code.source, runtime);
      case 'image':
        throw new Error('Image functions carry their code in the image.');
    }
  }

  private writeInline(source: string, runtime: RuntimeInfo | undefined): string {
    // Lambda stores Code.ZipFile as index.js for Node.js and index.py for Python.
    const file = runtime?.family === 'python' ? 'index.py' : 'index.js';
    const hash = createHash('sha256').update(file).update('\0').update(source).digest('hex');
    const dir = path.join(this.cacheRoot, `inline-${hash}`);
    if (!existsSync(dir)) {
      const staging = `${dir}.${process.pid}.tmp`;
      mkdirSync(staging, { recursive: true });
      writeFileSync(path.join(staging, file), source, { mode: 0o644 });
      renameOrDiscard(staging, dir);
    }
    return dir;
  }

  private async unpackZip(zipPath: string): Promise<string> {
    const hash = createHash('sha256').update(readFileSync(zipPath)).digest('hex');
    const dir = path.join(this.cacheRoot, `zip-${hash}`);
    if (existsSync(dir)) return dir;
    const staging = `${dir}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      await extractZip(zipPath, staging);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    renameOrDiscard(staging, dir);
    return dir;
  }
}

function renameOrDiscard(staging: string, target: string): void {
  try {
    renameSync(staging, target);
  } catch {
    // Another process unpacked the same content first; its copy is identical.
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Extracts a zip archive, refusing entries that would land outside the target folder and
 * symbolic links that point outside it, and keeping Unix file modes (an executable bootstrap
 * stays executable).
 */
export async function extractZip(zipPath: string, target: string, maxBytes: number = LIMITS.unzippedCodeBytes): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: true, strictFileNames: false }, (error, file) =>
      error ? reject(error) : resolve(file),
    ),
  ).catch((error: unknown) => {
    throw new WorkbenchError('InvalidZip', 'caller', `${zipPath} is not a readable zip archive: ${String(error)}`);
  });

  const root = path.resolve(target);
  let unzippedBytes = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => {
      zip.close();
      reject(error);
    };
    zip.on('error', (error: Error) => {
      // yauzl checks entry names itself and reports the unsafe ones by this wording.
      const unsafe = /^(?:invalid relative path|absolute path): (.*)$/.exec(error.message);
      fail(
        unsafe
          ? outsideError(zipPath, unsafe[1]!)
          : new WorkbenchError('InvalidZip', 'caller', `${zipPath} could not be read: ${error.message}`),
      );
    });
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const destination = path.resolve(root, name);
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..') || !destination.startsWith(root + path.sep)) {
        fail(
          new WorkbenchError(
            'InvalidZip',
            'caller',
            `${zipPath}: entry ${JSON.stringify(name)} would be written outside the package; rejected.`,
          ),
        );
        return;
      }
      unzippedBytes += entry.uncompressedSize;
      if (unzippedBytes > maxBytes) {
        fail(
          new WorkbenchError(
            'CodeTooLarge',
            'caller',
            `${zipPath}: Unzipped size must be smaller than ${maxBytes} bytes; the archive holds more than that by entry ${JSON.stringify(name)}.`,
          ),
        );
        return;
      }
      const mode = (entry.externalFileAttributes >>> 16) & 0o177777;
      const isDirectory = name.endsWith('/') || (mode & 0o170000) === 0o040000;
      const isSymlink = (mode & 0o170000) === 0o120000;
      if (isDirectory) {
        mkdirSync(destination, { recursive: true });
        zip.readEntry();
        return;
      }
      mkdirSync(path.dirname(destination), { recursive: true });
      // A stream error names the entry: yauzl's own wording ("too many bytes in the stream") does not.
      const entryFailed = (error: unknown): void =>
        fail(
          error instanceof WorkbenchError
            ? error
            : new WorkbenchError(
                'InvalidZip',
                'caller',
                `${zipPath}: entry ${JSON.stringify(name)} could not be unpacked: ${errorMessage(error)}; the archive is damaged or its sizes are wrong.`,
              ),
        );
      zip.openReadStream(entry, (error, stream) => {
        if (error) {
          entryFailed(error);
          return;
        }
        if (isSymlink) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', entryFailed);
          stream.on('end', () => {
            const link = Buffer.concat(chunks).toString('utf8');
            const resolved = path.resolve(path.dirname(destination), link);
            if (path.isAbsolute(link) || !(resolved === root || resolved.startsWith(root + path.sep))) {
              fail(
                new WorkbenchError(
                  'InvalidZip',
                  'caller',
                  `${zipPath}: symbolic link ${JSON.stringify(name)} points outside the package (${link}); rejected.`,
                ),
              );
              return;
            }
            symlinkSync(link, destination);
            zip.readEntry();
          });
          return;
        }
        pipeline(stream, createWriteStream(destination)).then(() => {
          const permissions = mode & 0o7777;
          chmodSync(destination, permissions === 0 ? 0o644 : permissions);
          zip.readEntry();
        }, entryFailed);
      });
    });
    zip.readEntry();
  });
}

function outsideError(zipPath: string, name: string): WorkbenchError {
  return new WorkbenchError(
    'InvalidZip',
    'caller',
    `${zipPath}: entry ${JSON.stringify(name)} would be written outside the package; rejected.`,
  );
}

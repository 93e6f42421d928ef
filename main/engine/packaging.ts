import { createWriteStream, lstatSync, mkdirSync, readdirSync, readlinkSync, readFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { LayerConfig } from '../core/template/layer-config.js';

/**
 * Writes a folder as a Lambda deployment package: files at the root of the archive, Unix modes
 * kept (an executable bootstrap stays executable), symbolic links stored as links, and entries
 * in name order with a fixed time, so the same folder always gives the same bytes.
 */
export async function zipFolder(folder: string, output: string): Promise<void> {
  mkdirSync(path.dirname(output), { recursive: true });
  await pipeline(folderZip(folder).outputStream, createWriteStream(output));
}

/** The deployment package of a folder, in memory. */
export async function zipFolderToBuffer(folder: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of folderZip(folder).outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function folderZip(folder: string): yazl.ZipFile {
  const zip = new yazl.ZipFile();
  const fixedTime = new Date('1980-01-01T00:00:00Z');
  for (const file of listEntries(folder)) {
    const absolute = path.join(folder, file);
    const stat = lstatSync(absolute);
    if (stat.isSymbolicLink()) zip.addBuffer(Buffer.from(readlinkSync(absolute)), file, { mode: 0o120777, mtime: fixedTime });
    else zip.addBuffer(readFileSync(absolute), file, { mode: stat.mode, mtime: fixedTime });
  }
  zip.end();
  return zip;
}

/** Writes a function's deployment package into `outputDir` and returns its path. */
export async function packageFunction(fn: FunctionConfig, outputDir: string): Promise<string> {
  const output = path.join(outputDir, `${fn.name}.zip`);
  switch (fn.code.kind) {
    case 'folder':
      await zipFolder(fn.code.path, output);
      return output;
    case 'zip':
      mkdirSync(outputDir, { recursive: true });
      copyFileSync(fn.code.path, output);
      return output;
    case 'inline': {
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from(fn.code.source), fn.runtime?.family === 'python' ? 'index.py' : 'index.js', {
        mode: 0o100644,
        mtime: new Date('1980-01-01T00:00:00Z'),
      });
      zip.end();
      mkdirSync(outputDir, { recursive: true });
      await pipeline(zip.outputStream, createWriteStream(output));
      return output;
    }
    case 'image':
      throw new Error(`${fn.name} is an Image function; it is packaged as an image, not a .zip.`);
  }
}

/** Writes a layer's package into `outputDir` (content at the root: nodejs/, python/, bin/...). */
export async function packageLayer(layer: LayerConfig, outputDir: string): Promise<string> {
  const output = path.join(outputDir, `${layer.name}-layer.zip`);
  if (layer.content.kind === 'zip') {
    mkdirSync(outputDir, { recursive: true });
    copyFileSync(layer.content.path, output);
  } else {
    await zipFolder(layer.content.path, output);
  }
  return output;
}

function listEntries(root: string, prefix = ''): string[] {
  const entries: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) entries.push(...listEntries(root, relative));
    else entries.push(relative);
  }
  return entries;
}

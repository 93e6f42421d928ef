import { existsSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { CodeStore, extractZip } from '../../main/engine/code-store.js';
import { findRuntime } from '../../main/core/runtimes.js';

interface Entry {
  name: string;
  /** The name to write into the archive in place of `name`, of the same length; yazl refuses names with "..". */
  rawName?: string;
  content?: string;
  mode?: number;
  symlinkTo?: string;
}

/** Writes a zip with yazl; names are written as given, so hostile paths can be tested. */
async function makeZip(entries: Entry[]): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.symlinkTo !== undefined) zip.addBuffer(Buffer.from(entry.symlinkTo), entry.name, { mode: 0o120777 });
    else zip.addBuffer(Buffer.from(entry.content ?? ''), entry.name, { mode: entry.mode ?? 0o100644 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  let archive: Buffer = Buffer.concat(chunks);
  for (const entry of entries) {
    if (entry.rawName) archive = replaceAll(archive, Buffer.from(entry.name), Buffer.from(entry.rawName));
  }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-zip-')), 'package.zip');
  writeFileSync(file, archive);
  return file;
}

/** Replaces a name in both the local header and the central directory; the CRC covers only the data. */
function replaceAll(buffer: Buffer, from: Buffer, to: Buffer): Buffer {
  if (from.length !== to.length) throw new Error('raw names must keep the length of the placeholder');
  const copy = Buffer.from(buffer);
  for (let at = copy.indexOf(from); at >= 0; at = copy.indexOf(from, at + 1)) to.copy(copy, at);
  return copy;
}

const target = (): string => mkdtempSync(path.join(os.tmpdir(), 'lwb-unzip-'));

describe('zip extraction', () => {
  it('names the entry whose sizes are false', async () => {
    const file = await makeZip([{ name: 'zeros.bin', content: '\0'.repeat(20_000) }]);
    // Claim 1,000 bytes in the central directory for an entry that inflates to 20,000.
    const archive = readFileSync(file);
    const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt32LE(1_000, central + 24);
    writeFileSync(file, archive);
    await expect(extractZip(file, target())).rejects.toThrow(/entry "zeros\.bin" could not be unpacked: .*sizes are wrong/);
  });

  it('keeps modes and inner links', async () => {
    const dir = target();
    await extractZip(
      await makeZip([
        { name: 'bootstrap', content: '#!/bin/sh', mode: 0o100755 },
        { name: 'lib/a.txt', content: 'a' },
        { name: 'link', symlinkTo: 'lib/a.txt' },
      ]),
      dir,
    );
    expect(statSync(path.join(dir, 'bootstrap')).mode & 0o777).toBe(0o755);
    expect(readFileSync(path.join(dir, 'lib/a.txt'), 'utf8')).toBe('a');
    expect(readlinkSync(path.join(dir, 'link'))).toBe('lib/a.txt');
  });

  it.each([
    [[{ name: 'AA/evil.txt', rawName: '../evil.txt', content: 'x' }], 'entry "../evil.txt" would be written outside the package'],
    [
      [{ name: 'a/BB/CC/evil.txt', rawName: 'a/../../evil.txt', content: 'x' }],
      'entry "a/../../evil.txt" would be written outside the package',
    ],
    [[{ name: 'Xetc/evil.txt', rawName: '/etc/evil.txt', content: 'x' }], 'entry "/etc/evil.txt" would be written outside the package'],
    [[{ name: 'escape', symlinkTo: '../../etc/passwd' }], 'symbolic link "escape" points outside the package (../../etc/passwd)'],
    [[{ name: 'absolute', symlinkTo: '/etc/passwd' }], 'symbolic link "absolute" points outside the package (/etc/passwd)'],
  ])('rejects %j', async (entries, message) => {
    const dir = target();
    const zip = await makeZip(entries as Entry[]);
    await expect(extractZip(zip, dir)).rejects.toThrow(message);
    expect(existsSync(path.join(path.dirname(dir), 'evil.txt'))).toBe(false);
  });

  it('caches packages by content hash', async () => {
    const cache = target();
    const store = new CodeStore(cache);
    const zip = await makeZip([{ name: 'index.js', content: 'exports.handler = 1' }]);
    const first = await store.folderFor({ kind: 'zip', path: zip }, undefined);
    const second = await store.folderFor({ kind: 'zip', path: zip }, undefined);
    expect(first).toBe(second);
    expect(path.basename(first)).toMatch(/^zip-[0-9a-f]{64}$/);
    const python = await store.folderFor({ kind: 'inline', source: 'def handler(e, c): pass' }, findRuntime('python3.12'));
    expect(readFileSync(path.join(python, 'index.py'), 'utf8')).toBe('def handler(e, c): pass');
    const node = await store.folderFor({ kind: 'inline', source: 'exports.handler = 1' }, findRuntime('nodejs20.x'));
    expect(existsSync(path.join(node, 'index.js'))).toBe(true);
  });
});

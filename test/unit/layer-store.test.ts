import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { LayerStore } from '../../main/engine/layer-store.js';
import { openWorkbenchDatabase } from '../../main/store/database.js';

async function zipWith(files: Record<string, string>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-layer-zip-')), 'layer.zip');
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe('layer store', () => {
  it('numbers versions by content and merges in order', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lwb-layers-'));
    const store = new LayerStore(openWorkbenchDatabase(':memory:'), path.join(root, 'store'));
    const folder = path.join(root, 'folder');
    mkdirSync(path.join(folder, 'bin'), { recursive: true });
    writeFileSync(path.join(folder, 'bin', 'shared.txt'), 'from the folder layer');
    const base = { logicalId: 'A', name: 'a', description: '' };
    expect(store.publish({ ...base, content: { kind: 'folder', path: folder } })).toBe(1);
    expect(store.publish({ ...base, content: { kind: 'folder', path: folder } })).toBe(1);
    writeFileSync(path.join(folder, 'bin', 'shared.txt'), 'edited');
    expect(store.publish({ ...base, content: { kind: 'folder', path: folder } })).toBe(2);

    const zip = await zipWith({ 'bin/shared.txt': 'from the zip layer', 'bin/zip-only.txt': 'zip' });
    expect(store.publish({ logicalId: 'B', name: 'b', description: '', content: { kind: 'zip', path: zip } })).toBe(1);

    const merged = await store.mergedOpt([store.get('a', 1)!, store.get('b', 1)!], path.join(root, 'cache'));
    expect(readFileSync(path.join(merged, 'bin', 'shared.txt'), 'utf8')).toBe('from the zip layer');
    expect(readFileSync(path.join(merged, 'bin', 'zip-only.txt'), 'utf8')).toBe('zip');
    const reversed = await store.mergedOpt([store.get('b', 1)!, store.get('a', 1)!], path.join(root, 'cache'));
    expect(readFileSync(path.join(reversed, 'bin', 'shared.txt'), 'utf8')).toBe('from the folder layer');
    expect(store.get('b', 1)!.sizeBytes).toBe('from the zip layer'.length + 3);
  });
});

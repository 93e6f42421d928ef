import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesktopStateFile, isVisibleOn } from '../../main/electron/desktop-state.js';

function workspace(root: string, name: string): string {
  mkdirSync(path.join(root, name), { recursive: true });
  const file = path.join(root, name, 'template.yaml');
  writeFileSync(file, 'Resources: {}\n');
  return file;
}

describe('desktop state', () => {
  it('keeps recent workspaces newest first, without repeats, across runs', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lwb-desktop-'));
    const file = path.join(root, 'desktop.json');
    const [a, b] = [workspace(root, 'a'), workspace(root, 'b')];
    const state = new DesktopStateFile(file);
    state.addRecent(a);
    state.addRecent(b);
    state.addRecent(a);
    expect(new DesktopStateFile(file).recent()).toEqual([a, b]);
  });

  it('keeps ten recent workspaces at most', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lwb-desktop-'));
    const state = new DesktopStateFile(path.join(root, 'desktop.json'));
    const files = Array.from({ length: 12 }, (_, index) => workspace(root, `w${index}`));
    for (const file of files) state.addRecent(file);
    expect(state.recent()).toEqual(files.slice(2).reverse());
  });

  it('leaves out workspaces that no longer exist', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lwb-desktop-'));
    const state = new DesktopStateFile(path.join(root, 'desktop.json'));
    state.addRecent(path.join(root, 'gone', 'template.yaml'));
    expect(state.recent()).toEqual([]);
  });

  it('remembers the window bounds and starts afresh from a damaged file', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lwb-desktop-'));
    const file = path.join(root, 'desktop.json');
    new DesktopStateFile(file).setWindowBounds({ x: 10, y: 20, width: 1200, height: 800, maximized: false });
    expect(new DesktopStateFile(file).windowBounds()).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false });
    writeFileSync(file, '{ not json');
    expect(new DesktopStateFile(file).windowBounds()).toBeUndefined();
  });

  it('restores a window only where a screen still shows it', () => {
    const screen = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(isVisibleOn({ x: 100, y: 100, width: 800, height: 600 }, [screen])).toBe(true);
    // Left on a second monitor that has since been unplugged.
    expect(isVisibleOn({ x: 2200, y: 100, width: 800, height: 600 }, [screen])).toBe(false);
    expect(isVisibleOn({ x: 1900, y: 100, width: 800, height: 600 }, [screen])).toBe(false);
  });
});

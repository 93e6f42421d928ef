import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDebianArchive, parseDeb822, parseOneLine } from '../../main/docker/apt-sources.js';

describe('apt sources', () => {
  it('reads one-line entries', () => {
    expect(
      parseOneLine(
        '# deb http://old/debian buster main\ndeb [arch=amd64] http://mirror.example/debian bookworm main contrib\ndeb-src http://x/debian bookworm main',
      ),
    ).toEqual([{ mirror: 'http://mirror.example/debian', suite: 'bookworm' }]);
  });

  it('reads deb822 stanzas', () => {
    const text =
      'Types: deb\nURIs: http://deb.example/debian\nSuites: trixie trixie-updates\nComponents: main\n\nTypes: deb-src\nURIs: http://src/debian\nSuites: trixie\n';
    expect(parseDeb822(text)).toEqual([
      { mirror: 'http://deb.example/debian', suite: 'trixie' },
      { mirror: 'http://deb.example/debian', suite: 'trixie-updates' },
    ]);
  });

  it('picks the release archive', () => {
    const apt = mkdtempSync(path.join(os.tmpdir(), 'lwb-apt-'));
    mkdirSync(path.join(apt, 'sources.list.d'));
    writeFileSync(path.join(apt, 'sources.list'), 'deb https://packages.example.com/apt stable main\n');
    writeFileSync(
      path.join(apt, 'sources.list.d', 'debian.sources'),
      'Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.example/debian\nSuites: bookworm-updates bookworm\n',
    );
    expect(findDebianArchive(apt)).toEqual({ mirror: 'http://mirror.example/debian', suite: 'bookworm' });
  });

  it('finds no Debian archive', () => {
    const apt = mkdtempSync(path.join(os.tmpdir(), 'lwb-apt-'));
    writeFileSync(path.join(apt, 'sources.list'), 'deb http://archive.ubuntu.com/ubuntu noble main\n');
    expect(findDebianArchive(apt)).toBeUndefined();
  });
});

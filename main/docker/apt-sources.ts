import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A Debian archive named in the machine's apt sources. */
export interface DebianArchive {
  mirror: string;
  suite: string;
}

/**
 * Finds the Debian archive this machine installs from, reading /etc/apt/sources.list and the
 * files of sources.list.d in both formats (one-line and deb822). Security and update suites are
 * skipped: debootstrap needs the release itself.
 */
export function findDebianArchive(aptDir = '/etc/apt'): DebianArchive | undefined {
  const files: string[] = [];
  if (existsSync(path.join(aptDir, 'sources.list'))) files.push(path.join(aptDir, 'sources.list'));
  const listDir = path.join(aptDir, 'sources.list.d');
  if (existsSync(listDir)) {
    for (const name of readdirSync(listDir).sort()) {
      if (name.endsWith('.list') || name.endsWith('.sources')) files.push(path.join(listDir, name));
    }
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const entries = file.endsWith('.sources') ? parseDeb822(text) : parseOneLine(text);
    const archive = entries.find(isDebianRelease);
    if (archive) return archive;
  }
  return undefined;
}

export function parseOneLine(text: string): DebianArchive[] {
  const archives: DebianArchive[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (match) archives.push({ mirror: match[1]!, suite: match[2]! });
  }
  return archives;
}

export function parseDeb822(text: string): DebianArchive[] {
  const archives: DebianArchive[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
      if (match && !line.trim().startsWith('#')) fields.set(match[1]!.toLowerCase(), match[2]!);
    }
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    if ((fields.get('enabled') ?? 'yes').toLowerCase() === 'no') continue;
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) {
      for (const suite of (fields.get('suites') ?? '').split(/\s+/).filter(Boolean)) archives.push({ mirror: uri, suite });
    }
  }
  return archives;
}

function isDebianRelease(archive: DebianArchive): boolean {
  return /\/debian\/?$/.test(archive.mirror) && !archive.suite.includes('-') && !archive.suite.includes('/');
}

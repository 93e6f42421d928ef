import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError, errorMessage } from '../core/errors.js';
import { writeFileAtomically } from '../core/template/editor.js';
import type { EventTemplate, SavedEvent } from '../contract/types.js';

/**
 * Test events: templates for the usual event sources, and saved events kept beside the template
 * in events/<function>/<name>.json, so they can be committed and shared.
 */
export class TestEvents {
  constructor(private readonly templatesDir: string) {}

  templates(): EventTemplate[] {
    const index = JSON.parse(readFileSync(path.join(this.templatesDir, 'index.json'), 'utf8')) as Array<{ id: string; title: string }>;
    return index.map((entry) => ({ ...entry, json: readFileSync(path.join(this.templatesDir, `${entry.id}.json`), 'utf8') }));
  }

  list(templateDir: string, functionName: string): SavedEvent[] {
    const dir = path.join(templateDir, 'events', functionName);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({ name: file.slice(0, -'.json'.length), json: readFileSync(path.join(dir, file), 'utf8') }));
  }

  save(templateDir: string, functionName: string, eventName: string, json: string): void {
    try {
      JSON.parse(json);
    } catch (error) {
      throw new InputError('json', `The event is not valid JSON: ${errorMessage(error)}`);
    }
    const dir = path.join(templateDir, 'events', functionName);
    mkdirSync(dir, { recursive: true });
    writeFileAtomically(path.join(dir, `${eventName.trim()}.json`), json.endsWith('\n') ? json : `${json}\n`);
  }

  delete(templateDir: string, functionName: string, eventName: string): void {
    const file = path.join(templateDir, 'events', functionName, `${eventName}.json`);
    if (path.dirname(file) !== path.join(templateDir, 'events', functionName))
      throw new InputError('eventName', `${eventName} is not a saved event name.`);
    rmSync(file, { force: true });
  }
}

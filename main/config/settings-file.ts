import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../core/errors.js';
import { parseSettings, WORKSHOP_PRESET, type WorkbenchSettings } from '../core/settings.js';
import { dataRoot } from './paths.js';

export function settingsFile(): string {
  return path.join(dataRoot(), 'settings.json');
}

/**
 * Loads the settings: Lambda's defaults, then settings.json in the data folder, then the workshop
 * preset when asked for, then explicit overrides. Throws with the field, value and allowed range
 * of the first invalid one.
 */
export function loadSettings(overrides: Partial<WorkbenchSettings> = {}, workshop = false): WorkbenchSettings {
  const file = settingsFile();
  let saved: Partial<WorkbenchSettings> = {};
  if (existsSync(file)) {
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WorkbenchSettings>;
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${errorMessage(error)}); fix or delete it.`, { cause: error });
    }
  }
  return parseSettings({ ...saved, ...(workshop ? WORKSHOP_PRESET : {}), ...overrides });
}

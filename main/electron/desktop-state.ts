import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../core/template/editor.js';

const MAX_RECENT = 10;

const stateSchema = z.object({
  recent: z.array(z.string()).default([]),
  window: z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().min(400),
      height: z.number().int().min(300),
      maximized: z.boolean(),
    })
    .optional(),
});

export type DesktopState = z.infer<typeof stateSchema>;
export type WindowBounds = NonNullable<DesktopState['window']>;

/**
 * The desktop app's memory between runs: recent workspaces and the window's place and size. It is
 * plain Node (no Electron) and kept in one JSON file in the data folder. A damaged file is ignored.
 */
export class DesktopStateFile {
  private state: DesktopState;

  constructor(private readonly file: string) {
    this.state = DesktopStateFile.read(file);
  }

  private static read(file: string): DesktopState {
    if (!existsSync(file)) return { recent: [] };
    try {
      return stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      return { recent: [] };
    }
  }

  /** Recent template paths, newest first, that still exist. */
  recent(): string[] {
    return this.state.recent.filter((file) => existsSync(file));
  }

  addRecent(templatePath: string): void {
    const resolved = path.resolve(templatePath);
    this.state.recent = [resolved, ...this.state.recent.filter((file) => file !== resolved)].slice(0, MAX_RECENT);
    this.save();
  }

  clearRecent(): void {
    this.state.recent = [];
    this.save();
  }

  windowBounds(): WindowBounds | undefined {
    return this.state.window;
  }

  setWindowBounds(bounds: WindowBounds): void {
    this.state.window = bounds;
    this.save();
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomically(this.file, `${JSON.stringify(this.state, null, 2)}\n`);
  }
}

/** Checks that a remembered window rectangle still overlaps a screen's work area enough to be seen. */
export function isVisibleOn(
  bounds: { x: number; y: number; width: number; height: number },
  areas: Array<{ x: number; y: number; width: number; height: number }>,
): boolean {
  return areas.some((area) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapY = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return overlapX >= 100 && overlapY >= 50;
  });
}

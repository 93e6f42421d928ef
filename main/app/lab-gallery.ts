import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Lab } from '../contract/types.js';

const labFile = z.object({ title: z.string().min(1), summary: z.string().min(1), order: z.number().int().optional() });

/**
 * The workspace gallery: ready workspaces shipped in resources/labs, one folder each with a
 * lab.json, a template.yaml and a guide.md. Opening a lab copies it into the workbench's data
 * folder the first time, so the attendee's edits never touch the shipped copy and survive a restart.
 */
export class LabGallery {
  constructor(
    private readonly shippedDir: string,
    private readonly workDir: string,
  ) {}

  list(): Lab[] {
    if (!existsSync(this.shippedDir)) return [];
    const labs: Array<Lab & { order: number }> = [];
    for (const entry of readdirSync(this.shippedDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const meta = this.meta(entry.name);
      if (meta) labs.push({ id: entry.name, title: meta.title, summary: meta.summary, order: meta.order ?? 100 });
    }
    return labs.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title)).map(({ order: _order, ...lab }) => lab);
  }

  /** Returns the template of the lab's working copy, which `prepare` makes. */
  templateOf(id: string): string {
    if (!this.meta(id)) {
      const ids = this.list().map((lab) => lab.id);
      throw new InputError('id', `There is no lab ${id}; choose one of: ${ids.join(', ') || 'none are installed'}.`);
    }
    return path.join(this.workDir, id, 'template.yaml');
  }

  /** Copies the shipped lab into its working copy when there is none, or anew on `reset`; returns its template. */
  prepare(id: string, reset = false): string {
    const template = this.templateOf(id);
    const target = path.dirname(template);
    if (reset) rmSync(target, { recursive: true, force: true });
    if (!existsSync(template)) cpSync(path.join(this.shippedDir, id), target, { recursive: true });
    return template;
  }

  /** Reads the guide beside a template (guide.md or GUIDE.md); null when the workspace has none. */
  guideBeside(templatePath: string): string | null {
    const dir = path.dirname(templatePath);
    for (const name of ['guide.md', 'GUIDE.md']) {
      const file = path.join(dir, name);
      if (existsSync(file)) return readFileSync(file, 'utf8');
    }
    return null;
  }

  private meta(id: string): z.infer<typeof labFile> | undefined {
    const file = path.join(this.shippedDir, id, 'lab.json');
    if (!existsSync(file) || !existsSync(path.join(this.shippedDir, id, 'template.yaml'))) return undefined;
    const parsed = labFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  }
}

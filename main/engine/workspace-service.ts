import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { errorMessage, WorkbenchError } from '../core/errors.js';
import { parseTemplateDocument, stringifyTemplate } from '../core/template/cfn-yaml.js';
import { applyEdits, templateNode, writeFileAtomically, type PropertyEdit } from '../core/template/editor.js';
import { loadWorkspace, parseWorkspace, type StackSettings, type Workspace } from '../core/template/workspace.js';
import type { Logger } from '../logging.js';

export interface WorkspaceEvents {
  /** The template changed and is valid: the new workspace, then the one it replaces. */
  changed: [Workspace, Workspace];
  /** The template changed on disk but is invalid; the previous workspace stays in use. */
  invalid: [Error];
}

const RELOAD_DELAY_MS = 100;

/**
 * The workspace as the template on disk describes it. Edits go through here: they are applied to
 * a fresh read of the file, checked, and written back atomically. Edits made outside the
 * workbench are picked up by a file watcher.
 */
export class WorkspaceService extends EventEmitter<WorkspaceEvents> {
  private workspace: Workspace;
  private lastHash: string;
  private watcher: FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly templatePath: string,
    private readonly settings: StackSettings,
    private readonly logger: Logger,
  ) {
    super();
    this.workspace = loadWorkspace(templatePath, settings);
    this.lastHash = hash(readFileSync(templatePath, 'utf8'));
  }

  get current(): Workspace {
    return this.workspace;
  }

  /** Watches the template's folder, since editors and the workbench itself replace the file by renaming. */
  watch(): void {
    if (this.watcher) return;
    const file = path.basename(this.templatePath);
    this.watcher = watch(path.dirname(this.templatePath), (_event, name) => {
      if (name !== file) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.reload(), RELOAD_DELAY_MS);
    });
    this.watcher.on('error', (error) => this.logger.warn({ err: error }, 'Stopped watching the template for changes'));
  }

  /** Reads the template again; returns true when it changed. */
  reload(): boolean {
    let source: string;
    try {
      source = readFileSync(this.templatePath, 'utf8');
    } catch (error) {
      this.logger.warn(`Could not read ${this.templatePath}: ${errorMessage(error)}`);
      return false;
    }
    const sourceHash = hash(source);
    if (sourceHash === this.lastHash) return false;
    try {
      const next = parseWorkspace(source, this.templatePath, this.settings);
      this.replace(next, sourceHash);
      this.logger.info(`Reloaded ${path.basename(this.templatePath)}: ${next.functions.length} function(s)`);
      return true;
    } catch (error) {
      this.lastHash = sourceHash;
      this.logger.error(`${errorMessage(error)}\nThe workbench keeps the last valid version of the template.`);
      this.emit('invalid', error as Error);
      return false;
    }
  }

  /**
   * Applies property edits to the template on disk. The result is checked as a whole before it is
   * written, so an edit that makes the template invalid changes nothing and throws a TemplateError.
   */
  edit(edits: readonly PropertyEdit[]): Workspace {
    const { original, document } = this.readForEdit();
    applyEdits(document, edits, (logicalId, propertyPath) => {
      const fn = this.workspace.functions.find((candidate) => candidate.logicalId === logicalId);
      let value: unknown = fn?.properties;
      for (const key of propertyPath) value = (value as Record<string | number, unknown> | undefined)?.[key];
      return value;
    });
    const source = stringifyTemplate(document, original);
    const next = parseWorkspace(source, this.templatePath, this.settings);
    writeFileAtomically(this.templatePath, source);
    this.replace(next, hash(source));
    return next;
  }

  /** Adds a resource to the template, checked as a whole before it is written. */
  addResource(logicalId: string, resource: Record<string, unknown>): Workspace {
    const { original, document } = this.readForEdit();
    if (document.hasIn(['Resources', logicalId])) {
      throw new WorkbenchError('ResourceConflict', 'caller', `The template already has a resource named ${logicalId}.`);
    }
    document.setIn(['Resources', logicalId], templateNode(document, resource));
    const source = stringifyTemplate(document, original);
    const next = parseWorkspace(source, this.templatePath, this.settings);
    writeFileAtomically(this.templatePath, source);
    this.replace(next, hash(source));
    return next;
  }

  /** Removes a resource from the template, checked as a whole before it is written. */
  removeResource(logicalId: string): Workspace {
    const { original, document } = this.readForEdit();
    if (!document.hasIn(['Resources', logicalId])) {
      throw new WorkbenchError('FunctionNotFound', 'caller', `The template has no resource named ${logicalId}.`);
    }
    document.deleteIn(['Resources', logicalId]);
    const source = stringifyTemplate(document, original);
    const next = parseWorkspace(source, this.templatePath, this.settings);
    writeFileAtomically(this.templatePath, source);
    this.replace(next, hash(source));
    return next;
  }

  /** Reads the template as it is on disk; one with YAML errors cannot be edited safely. */
  private readForEdit(): { original: string; document: ReturnType<typeof parseTemplateDocument> } {
    const original = readFileSync(this.templatePath, 'utf8');
    const document = parseTemplateDocument(original);
    const first = document.errors[0];
    if (first) {
      throw new WorkbenchError(
        'TemplateInvalid',
        'caller',
        `template.yaml has a YAML error, so the workbench does not write to it: ${first.message.split('\n')[0]} Fix the file first; the edit was not made.`,
      );
    }
    return { original, document };
  }

  close(): void {
    clearTimeout(this.reloadTimer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private replace(next: Workspace, sourceHash: string): void {
    const previous = this.workspace;
    this.workspace = next;
    this.lastHash = sourceHash;
    for (const warning of next.warnings) this.logger.warn(warning);
    this.emit('changed', next, previous);
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

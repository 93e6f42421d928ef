/**
 * Errors that cross module boundaries carry a stable code and the party at fault, so callers
 * (the Invoke API, the CLI, the UI) branch on the code and pick a log level from the source.
 */
export type ErrorSource =
  /** The request was wrong: bad input, unknown function, invalid template. */
  | 'caller'
  /** The function's own code failed: crash, timeout, bad response. */
  | 'function'
  /** The workbench or its host failed: Docker unreachable, image missing, port taken. */
  | 'platform';

export class WorkbenchError extends Error {
  readonly code: string;
  readonly source: ErrorSource;

  constructor(code: string, source: ErrorSource, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkbenchError';
    this.code = code;
    this.source = source;
  }
}

export function isWorkbenchError(error: unknown, code?: string): error is WorkbenchError {
  return error instanceof WorkbenchError && (code === undefined || error.code === code);
}

/** One invalid value in a template, located by resource and property path. */
export interface TemplateProblem {
  resource: string;
  path: string;
  message: string;
}

export class TemplateError extends WorkbenchError {
  readonly problems: readonly TemplateProblem[];

  constructor(file: string, problems: readonly TemplateProblem[]) {
    const lines = problems.map((p) => `  ${p.resource}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    super('TemplateInvalid', 'caller', `Template ${file} is invalid:\n${lines.join('\n')}`);
    this.name = 'TemplateError';
    this.problems = problems;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Invalid input from the user, naming the field so the UI can show the message beside it. */
export class InputError extends WorkbenchError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('InvalidInput', 'caller', message);
    this.name = 'InputError';
  }
}

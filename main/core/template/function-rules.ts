import { LIMITS, RESERVED_ENVIRONMENT_VARIABLES } from '../limits.js';
import { supportedRuntimeIds } from '../runtimes.js';

/**
 * Checks of single function settings against Lambda's limits. Each returns a sentence that names
 * the value and the allowed range, or undefined when the value is valid. The template reader and
 * the configuration editors share them, so a value is judged the same way everywhere.
 */
export function checkIntegerRange(value: unknown, min: number, max: number, unit: string): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return `${JSON.stringify(value)} is not a whole number; use ${min} to ${max}${unit}.`;
  }
  if (value < min) return `${value} is under the ${min}${unit} minimum (allowed: ${min} to ${max}${unit}).`;
  if (value > max) return `${value} is over the ${max}${unit} maximum (allowed: ${min} to ${max}${unit}).`;
  return undefined;
}

export const checkMemorySize = (value: unknown): string | undefined =>
  checkIntegerRange(value, LIMITS.memoryMb.min, LIMITS.memoryMb.max, ' MB');

export const checkTimeout = (value: unknown): string | undefined =>
  checkIntegerRange(value, LIMITS.timeoutSeconds.min, LIMITS.timeoutSeconds.max, ' s');

export const checkEphemeralStorage = (value: unknown): string | undefined =>
  checkIntegerRange(value, LIMITS.ephemeralStorageMb.min, LIMITS.ephemeralStorageMb.max, ' MB');

export function checkRuntime(value: unknown): string | undefined {
  const supported = supportedRuntimeIds();
  if (typeof value === 'string' && supported.includes(value)) return undefined;
  return `${JSON.stringify(value)} is not a runtime the workbench runs; use one of ${supported.join(', ')}.`;
}

export function checkHandler(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'is missing; a .zip package needs a handler such as index.handler.';
  if (value.length > LIMITS.handlerChars) {
    return `is ${value.length} characters long, over the ${LIMITS.handlerChars}-character maximum.`;
  }
  if (/\s/.test(value)) return `${JSON.stringify(value)} contains white space, which Lambda does not allow.`;
  return undefined;
}

export function checkFunctionName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    return `${JSON.stringify(value)} is not a valid function name; use 1 to ${LIMITS.functionNameChars} letters, digits, hyphens or underscores.`;
  }
  return undefined;
}

export function checkDescription(value: unknown): string | undefined {
  if (typeof value !== 'string') return `${JSON.stringify(value)} is not a string.`;
  if (value.length > LIMITS.descriptionChars) {
    return `is ${value.length} characters long, over the ${LIMITS.descriptionChars}-character maximum.`;
  }
  return undefined;
}

export function checkArchitectures(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length !== 1 || !['x86_64', 'arm64'].includes(String(value[0]))) {
    return `${JSON.stringify(value)} is not valid; list exactly one of x86_64 or arm64.`;
  }
  return undefined;
}

/** Problems of an environment variable map, each as [path suffix, message]. */
export function checkEnvironmentVariables(variables: Record<string, string>): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  let totalBytes = 0;
  for (const [key, value] of Object.entries(variables)) {
    totalBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) {
      problems.push([
        key,
        `${JSON.stringify(key)} is not a valid variable name; start with a letter and use letters, digits and underscores (2 characters at least).`,
      ]);
    } else if (RESERVED_ENVIRONMENT_VARIABLES.has(key)) {
      problems.push([key, `${key} is reserved by Lambda and cannot be set; choose another name.`]);
    }
  }
  if (totalBytes > LIMITS.environmentBytes) {
    problems.push([
      '',
      `take ${totalBytes} bytes in all, over Lambda's ${LIMITS.environmentBytes}-byte limit for keys and values together.`,
    ]);
  }
  return problems;
}

export const checkReservedConcurrency = (value: unknown): string | undefined => checkIntegerRange(value, 0, 100_000, '');

export const checkMaximumRetryAttempts = (value: unknown): string | undefined => checkIntegerRange(value, 0, 2, '');

export const checkMaximumEventAge = (value: unknown): string | undefined => checkIntegerRange(value, 60, 21_600, ' s');

export const checkProvisionedConcurrency = (value: unknown): string | undefined => checkIntegerRange(value, 1, 100_000, '');

export function checkAliasName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/.test(value)) {
    return `${JSON.stringify(value)} is not a valid alias name; use 1 to 128 letters, digits, hyphens or underscores, not only digits.`;
  }
  return undefined;
}

/** Folders beside template.yaml that the workbench writes itself: saved test events, imported packages, layers, file systems. */
export const WORKSPACE_FOLDERS: readonly string[] = ['events', 'packages', 'layers', 'efs'];

/** Returns why a function's code cannot go into a folder named after it, or undefined. */
export function checkCodeFolderName(name: string): string | undefined {
  const clash = WORKSPACE_FOLDERS.find((folder) => folder === name.toLowerCase());
  if (clash) return `${name} would share the ${clash}/ folder that the workbench keeps beside template.yaml; choose another name.`;
  if (name.startsWith('-'))
    return `${name} starts with a hyphen, which makes its code folder hard to use on the command line; choose another name.`;
  return undefined;
}

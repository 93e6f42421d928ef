// @ts-check
/**
 * Error types the Node.js runtime reports, named as Lambda names them, and their conversion to
 * the JSON body the Runtime API expects. Lambda's Node.js runtime sends the stack as "trace".
 */
import util from 'node:util';

class RuntimeError extends Error {
  /** @param {string} type @param {string} message */
  constructor(type, message) {
    super(message);
    this.name = `Runtime.${type}`;
  }
}

/** @param {string} message */
export const importModuleError = (message) => new RuntimeError('ImportModuleError', message);
/** @param {string} message */
export const handlerNotFound = (message) => new RuntimeError('HandlerNotFound', message);
/** @param {string} message */
export const malformedHandlerName = (message) => new RuntimeError('MalformedHandlerName', message);
/** @param {string} message */
export const userCodeSyntaxError = (message) => new RuntimeError('UserCodeSyntaxError', message);
/** @param {string} message */
export const unhandledPromiseRejection = (message) => new RuntimeError('UnhandledPromiseRejection', message);

/**
 * @typedef {{errorType: string, errorMessage: string, trace?: string[]}} ErrorBody
 */

/**
 * @param {unknown} error
 * @returns {ErrorBody}
 */
export function toErrorBody(error) {
  if (isErrorLike(error)) {
    return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/**
 * Formats an error for the log, with its enumerable properties and its stack split into lines.
 * @param {unknown} error
 */
export function formatForLog(error) {
  try {
    return JSON.stringify(error, (_key, value) => {
      if (!(value instanceof Error)) return value;
      const plain = { errorType: value.name, errorMessage: value.message, ...value };
      if (typeof value.stack === 'string') plain.stack = value.stack.split('\n');
      return plain;
    });
  } catch {
    return JSON.stringify(toErrorBody(error));
  }
}

/**
 * @param {unknown} value
 * @returns {value is {name: string, message: string, stack: string}}
 */
function isErrorLike(value) {
  if (util.types.isNativeError(value)) return true;
  const candidate = /** @type {any} */ (value);
  return (
    Boolean(candidate) && typeof candidate.name === 'string' && typeof candidate.message === 'string' && typeof candidate.stack === 'string'
  );
}

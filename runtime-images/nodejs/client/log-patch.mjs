// @ts-check
/**
 * Makes console output look as it does in CloudWatch Logs for Lambda's Node.js runtime:
 * "<ISO time>\t<request id>\t<LEVEL>\t<message>", one line per call (newlines become \r).
 * Before the first invocation the request id is printed as "undefined", as Lambda does.
 */
import util from 'node:util';

/** @type {string | undefined} */
let currentRequestId;

/** @param {string | undefined} requestId */
export function setCurrentRequestId(requestId) {
  currentRequestId = requestId;
}

/** @param {string} level @param {unknown[]} args */
export function writeLogLine(level, args) {
  const message = util.format(...args).replace(/\n/g, '\r');
  process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
}

export function patchConsole() {
  const target = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (console));
  target.log = (/** @type {unknown[]} */ ...args) => writeLogLine('INFO', args);
  target.info = (/** @type {unknown[]} */ ...args) => writeLogLine('INFO', args);
  target.debug = (/** @type {unknown[]} */ ...args) => writeLogLine('DEBUG', args);
  target.warn = (/** @type {unknown[]} */ ...args) => writeLogLine('WARN', args);
  target.error = (/** @type {unknown[]} */ ...args) => writeLogLine('ERROR', args);
  target.trace = (/** @type {unknown[]} */ ...args) => writeLogLine('TRACE', args);
  target.fatal = (/** @type {unknown[]} */ ...args) => writeLogLine('FATAL', args);
}

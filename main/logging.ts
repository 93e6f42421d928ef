import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * The workbench's own diagnostics (not function output, not Lambda's START/END/REPORT lines).
 * Lines about one invocation carry its function and requestId fields.
 */
export type Logger = pino.Logger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel = 'info', destination: 'stderr' | 'json' = 'stderr'): Logger {
  if (destination === 'json') return pino({ level }, pino.destination({ fd: 2, sync: true }));
  const stream = pretty({
    destination: 2,
    sync: true,
    colorize: process.stderr.isTTY === true,
    ignore: 'pid,hostname',
    translateTime: 'SYS:HH:MM:ss.l',
  });
  return pino({ level }, stream);
}

/** Creates a logger that drops everything, for tests and embedding. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

import type { Logger } from '../logging.js';

/** Progress of long work (image builds), printed as it happens. */
export function progressPrinter(logger: Logger): (line: string) => void {
  return (line) => logger.info(line);
}

import { existsSync } from 'node:fs';

/**
 * Whether a test that needs an outside tool may be skipped when the tool is missing. In CI
 * (LWB_REQUIRE_ALL=1, set by .ci/run) nothing may be skipped: a missing tool fails the run.
 */
export function toolAvailable(path: string, what: string): boolean {
  if (existsSync(path)) return true;
  if (process.env.LWB_REQUIRE_ALL === '1') throw new Error(`${what} is required here (${path} not found).`);
  process.stdout.write(`SKIPPED: ${what} tests, because ${path} does not exist.\n`);
  return false;
}

/** The AWS CLI v2 from Debian's awscli package; an `aws` earlier on PATH may be a v1 shim. */
export const AWS_CLI = '/usr/bin/aws';

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, cliEnvironment } from './serve-process.js';

export interface ConsoleProcess {
  /** The console's address with this start's token. */
  url: string;
  /** The console's origin, without the token. */
  origin: string;
  token: string;
  /** The Lambda API beside it. */
  endpoint: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `lambda-workbench ui --no-open` on free ports and waits until the console is ready. */
export async function startConsole(template: string, home = mkdtempSync(path.join(os.tmpdir(), 'lwb-ui-'))): Promise<ConsoleProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'ui', '--template', template, '--port', '0', '--ui-port', '0', '--no-open', '--no-build'],
    {
      env: cliEnvironment(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = await new Promise<{ url: string; endpoint: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ui did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /Console ready at (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(output)?.[1];
      const endpoint = /Lambda API listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && endpoint) {
        clearTimeout(timer);
        resolve({ url, endpoint });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ui exited with ${code} before it was ready:\n${output}`));
    });
  });
  const parsed = new URL(ready.url);
  return {
    url: ready.url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    endpoint: ready.endpoint,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSettings, type WorkbenchSettings } from '../../main/core/settings.js';
import type { AccountSettings } from '../../main/engine/blueprint.js';
import type { LambdaEngine } from '../../main/engine/engine.js';
import { LambdaApiServer } from '../../main/lambda-api/server.js';
import { removeWorkspaceImages } from './docker-images.js';
import { createLogger } from '../../main/logging.js';
import type { LogStore } from '../../main/store/log-store.js';
import { openWorkbench, type Workbench } from '../../main/workbench.js';

export const TEST_ACCOUNT: AccountSettings = {
  region: 'us-east-1',
  accountId: '123456789012',
  credentials: { accessKeyId: 'ASIATEST', secretAccessKey: 'test-secret', sessionToken: 'test-token' },
};

export interface InvokeResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
  elapsedMs: number;
  /** The decoded X-Amz-Log-Result, when the call asked for the tail. */
  log: string | undefined;
}

export interface TestWorkbench {
  baseUrl: string;
  engine: LambdaEngine;
  logs: LogStore;
  workbench: Workbench;
  invoke(functionName: string, payload?: unknown, headers?: Record<string, string>): Promise<InvokeResponse>;
  close(): Promise<void>;
}

/** Starts the engine and the Lambda API on a free loopback port for one test file's workspace. */
export async function startWorkbench(templatePath: string, settings: Partial<WorkbenchSettings> = {}): Promise<TestWorkbench> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lwb-test-'));
  const logger = createLogger(process.env.LWB_TEST_LOG_LEVEL === undefined ? 'warn' : (process.env.LWB_TEST_LOG_LEVEL as 'debug'));
  const workbench = openWorkbench({
    templatePath,
    account: TEST_ACCOUNT,
    logger,
    settings: parseSettings(settings),
    dataDir,
    codeCacheDir: path.join(dataDir, 'code'),
    signingKeysDir: path.join(dataDir, 'signing-keys'),
  });
  const { engine, logs } = workbench;
  await engine.start();
  const server = await LambdaApiServer.listen({ engine, logger }, 0);
  const baseUrl = `http://127.0.0.1:${server.port}`;

  return {
    baseUrl,
    engine,
    logs,
    workbench,
    async invoke(functionName, payload = {}, headers = {}) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {
        method: 'POST',
        headers,
        body: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      const text = await response.text();
      const elapsedMs = performance.now() - started;
      const tail = response.headers.get('x-amz-log-result');
      return {
        status: response.status,
        headers: response.headers,
        text,
        json: () => JSON.parse(text),
        elapsedMs,
        log: tail ? Buffer.from(tail, 'base64').toString('utf8') : undefined,
      };
    },
    async close() {
      await server.close();
      await workbench.close();
      rmSync(dataDir, { recursive: true, force: true });
      removeWorkspaceImages(templatePath);
    },
  };
}

export const TAIL = { 'X-Amz-Log-Type': 'Tail' } as const;

/** Pulls the REPORT line's fields out of a tail log. */
export function reportFields(log: string | undefined): Record<string, string> {
  const line = log?.split('\n').find((candidate) => candidate.startsWith('REPORT RequestId:'));
  if (!line) throw new Error(`No REPORT line in:\n${log}`);
  const fields: Record<string, string> = {};
  for (const part of line.split('\t')) {
    const colon = part.indexOf(': ');
    if (colon > 0) fields[part.slice(0, colon)] = part.slice(colon + 2);
  }
  return fields;
}

/** Copies a fixture workspace into a temporary folder, for tests that edit its template. */
export function copyFixture(name: string): string {
  const target = mkdtempSync(path.join(os.tmpdir(), `lwb-${name}-`));
  cpSync(path.resolve('test/fixtures', name), target, { recursive: true });
  return path.join(target, 'template.yaml');
}

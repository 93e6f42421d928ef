import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startConsole, type ConsoleProcess } from '../support/console-process.js';
import { copyFixture } from '../support/workbench.js';

interface RawResponse {
  status: number;
  body: string;
}

/** Sends a request with full control of Host and Origin, which fetch() does not allow. */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const call = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.end(options.body);
  });
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => undefined);
  });
}

// Browser mode's guard: the token, and Host and Origin checks, against the real `ui` command.
describe('browser mode bridge', () => {
  let console_: ConsoleProcess;
  let api: string;
  let host: string;

  beforeAll(async () => {
    console_ = await startConsole(copyFixture('console'));
    api = `${console_.origin}/api/call/functions.list`;
    host = new URL(console_.origin).host;
  }, 120_000);

  afterAll(async () => {
    await console_?.stop();
  });

  const post = (headers: Record<string, string>, body = '{}', url = api): Promise<RawResponse> =>
    request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  it('answers a call with the token', async () => {
    const response = await post({ 'X-Workbench-Token': console_.token, Origin: console_.origin });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, result: [{ name: 'Chatty' }] });
  });

  it('refuses a call without the token', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.body).toContain('token is missing or wrong');
  });

  it('refuses a call with a wrong token', async () => {
    const response = await post({ 'X-Workbench-Token': `${console_.token.slice(0, -1)}x` });
    expect(response.status).toBe(401);
  });

  it('refuses a call from a foreign Origin, even with the token', async () => {
    const response = await post({ 'X-Workbench-Token': console_.token, Origin: 'http://attacker.example' });
    expect(response.status).toBe(403);
  });

  it('refuses a request whose Host is not its own (DNS rebinding)', async () => {
    const response = await post({ 'X-Workbench-Token': console_.token, Host: `attacker.example:${new URL(console_.origin).port}` });
    expect(response.status).toBe(403);
    expect((await request(`${console_.origin}/`, { headers: { Host: 'attacker.example' } })).status).toBe(403);
  });

  it('opens the event socket only with the token and its own Origin', async () => {
    const url = `ws://${host}/api/events?token=${console_.token}`;
    expect(await openSocket(url, { Origin: console_.origin })).toBe('open');
    expect(await openSocket(`ws://${host}/api/events`, { Origin: console_.origin })).toBe(403);
    expect(await openSocket(url, { Origin: 'http://attacker.example' })).toBe(403);
  });

  it('refuses web pages and foreign hosts on the Lambda API too', async () => {
    const invocations = `${console_.endpoint}/2015-03-31/functions/Chatty/invocations`;
    const fromPage = await request(invocations, {
      method: 'POST',
      headers: { Origin: 'http://attacker.example', 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(fromPage.status).toBe(403);
    expect(JSON.parse(fromPage.body).message).toContain('Requests from web pages');
    const rebound = await request(`${console_.endpoint}/2015-03-31/functions`, { headers: { Host: 'attacker.example' } });
    expect(rebound.status).toBe(403);
    // The AWS CLI and SDKs send neither, and are served.
    expect((await request(`${console_.endpoint}/2015-03-31/functions`)).status).toBe(200);
  });

  it('names the field of invalid arguments', async () => {
    const response = await post(
      { 'X-Workbench-Token': console_.token },
      JSON.stringify({ name: 'Chatty', memoryMb: 64, timeoutSeconds: 3, ephemeralStorageMb: 512, description: '' }),
      `${console_.origin}/api/call/functions.updateGeneral`,
    );
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'InvalidInput', field: 'memoryMb' } });
    const unknown = await post({ 'X-Workbench-Token': console_.token }, '{}', `${console_.origin}/api/call/functions.drop`);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UnknownChannel' } });
    const extra = await post(
      { 'X-Workbench-Token': console_.token },
      JSON.stringify({ name: 'Chatty', path: '../../etc/passwd' }),
      `${console_.origin}/api/call/code.read`,
    );
    expect(JSON.parse(extra.body)).toMatchObject({ ok: false, error: { field: 'path' } });
  });

  it('serves the console with its Content-Security-Policy and nothing outside it', async () => {
    const page = await fetch(`${console_.origin}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    const escape = await request(`${console_.origin}/..%2f..%2fpackage.json`);
    expect(escape.body).not.toContain('"name": "lambda-workbench"');
  });
});

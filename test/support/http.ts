// HTTP helpers for tests of the workbench's HTTP front ends: raw requests that keep repeated
// headers apart, and SigV4 signing for AWS_IAM function URLs.
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request with repeated headers kept apart, which fetch would join. */
export function request(
  url: string,
  options: { method?: string; headers?: Array<[string, string]>; body?: Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const headers = [...(options.headers ?? [])];
    // Raw header lists get no Host header of their own.
    if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['Host', target.host]);
    const call = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: headers.flat(),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      },
    );
    call.on('error', reject);
    call.end(options.body);
  });
}

class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Signs a GET to `url` with SigV4 for the lambda service, as the AWS SDKs do, and returns its headers. */
export async function signedHeaders(
  url: string,
  accessKeyId: string,
  secretAccessKey: string,
  region = 'us-east-1',
): Promise<Array<[string, string]>> {
  const target = new URL(url);
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service: 'lambda', sha256: NodeSha256 });
  const result = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { host: target.host },
  });
  return Object.entries(result.headers).map(([name, value]) => [name, String(value)]);
}

export const CURL = '/usr/bin/curl';

/**
 * Sends a request with the curl program, as a user would from a terminal, and reads back the
 * status, every header (repeated ones kept apart) and the body's bytes.
 */
export async function curl(url: string, headers: Array<[string, string]> = []): Promise<RawResponse> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-curl-'));
  const headerFile = path.join(dir, 'headers');
  const bodyFile = path.join(dir, 'body');
  try {
    const args = [
      '--silent',
      '--show-error',
      '--dump-header',
      headerFile,
      '--output',
      bodyFile,
      ...headers.flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
      url,
    ];
    await new Promise<void>((resolve, reject) => execFile(CURL, args, (error) => (error ? reject(error) : resolve())));
    const lines = readFileSync(headerFile, 'latin1').split('\r\n').filter(Boolean);
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
    const parsed: http.IncomingHttpHeaders = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
      if (name === 'set-cookie') parsed['set-cookie'] = [...(parsed['set-cookie'] ?? []), value];
      else parsed[name] = parsed[name] === undefined ? value : `${String(parsed[name])}, ${value}`;
    }
    return { status, headers: parsed, body: readFileSync(bodyFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

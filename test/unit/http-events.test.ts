import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  albEvent,
  albResponse,
  httpApiV2Event,
  httpApiV2Response,
  matchRoutePath,
  type HttpRequestInfo,
} from '../../main/core/triggers/http-events.js';
import { verifySigV4 } from '../../main/core/triggers/sigv4.js';

const request = (overrides: Partial<HttpRequestInfo> = {}): HttpRequestInfo => ({
  method: 'GET',
  rawPath: '/orders',
  rawQuery: 'tag=a&tag=b%20c',
  headers: [
    ['Host', '127.0.0.1:9000'],
    ['Accept', 'text/plain'],
    ['Accept', 'application/json'],
    ['Cookie', 'session=1; theme=dark'],
  ],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  receivedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

describe('ALB events', () => {
  it('keeps query strings encoded and repeats values in multi-value mode', () => {
    const event = albEvent(request(), 'arn:tg', true) as {
      multiValueQueryStringParameters: Record<string, string[]>;
      multiValueHeaders: Record<string, string[]>;
    };
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b%20c'] });
    expect(event.multiValueHeaders.accept).toEqual(['text/plain', 'application/json']);
    const single = albEvent(request(), 'arn:tg', false) as {
      queryStringParameters: Record<string, string>;
      headers: Record<string, string>;
    };
    expect(single.queryStringParameters).toEqual({ tag: 'b%20c' });
    expect(single.headers.accept).toBe('application/json');
  });

  it('sends a binary body base64-encoded both ways', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    const event = albEvent(request({ method: 'POST', body: png, headers: [['content-type', 'image/png']] }), 'arn:tg', false);
    expect(event).toMatchObject({ isBase64Encoded: true, body: png.toString('base64') });
    const response = albResponse(
      { statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true },
      false,
    );
    expect(response.body.equals(png)).toBe(true);
  });

  it('sends every Set-Cookie of multiValueHeaders', () => {
    const response = albResponse(
      { statusCode: 201, statusDescription: '201 Created', multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] }, body: 'ok' },
      true,
    );
    expect(response.headers.filter(([name]) => name === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(response.statusText).toBe('Created');
    expect(albResponse('not an object', false).statusCode).toBe(502);
  });
});

describe('payload 2.0', () => {
  it('joins repeated values, moves cookies out and decodes the query', () => {
    const event = httpApiV2Event(request(), {
      routeKey: '$default',
      stage: '$default',
      apiId: 'url',
      domainName: 'url.lambda-url.local',
      accountId: '123456789012',
    }) as {
      cookies: string[];
      headers: Record<string, string>;
      queryStringParameters: Record<string, string>;
    };
    expect(event.cookies).toEqual(['session=1', 'theme=dark']);
    expect(event.headers.accept).toBe('text/plain,application/json');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.queryStringParameters).toEqual({ tag: 'a,b c' });
  });

  it('turns cookies into Set-Cookie headers, and plain JSON into a 200', () => {
    const response = httpApiV2Response(JSON.stringify({ statusCode: 200, cookies: ['a=1', 'b=2'], body: 'héllo' }));
    expect(response.headers.filter(([name]) => name === 'set-cookie')).toHaveLength(2);
    expect(response.body.toString('utf8')).toBe('héllo');
    expect(httpApiV2Response('"just text"')).toMatchObject({ statusCode: 200, body: Buffer.from('just text') });
    expect(httpApiV2Response('{"a":1}').body.toString()).toBe('{"a":1}');
  });

  it('matches route paths with parameters and greedy proxies', () => {
    expect(matchRoutePath('/orders/{id}', '/orders/42')).toEqual({ id: '42' });
    expect(matchRoutePath('/files/{proxy+}', '/files/a/b.txt')).toEqual({ proxy: 'a/b.txt' });
    expect(matchRoutePath('/orders/{id}', '/orders')).toBeUndefined();
  });
});

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

describe('SigV4 verification', () => {
  const credentials = { accessKeyId: 'ASIAWORKBENCHLOCAL00', secretAccessKey: 'lambda-workbench-local-secret-access-key' };

  class NodeSha256 {
    private readonly hash;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
      this.hash = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
    }
    update(data: string | ArrayBuffer | ArrayBufferView): void {
      this.hash.update(toBytes(data));
    }
    async digest(): Promise<Uint8Array> {
      return new Uint8Array(this.hash.digest());
    }
  }

  async function signed(secret: string, body = '{"a":1}'): Promise<HttpRequestInfo> {
    const signer = new SignatureV4({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: secret },
      region: 'us-east-1',
      service: 'lambda',
      sha256: NodeSha256,
    });
    // SDK clients hand the signer the path as it goes on the wire, already URL-encoded.
    const result = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9000,
      path: '/items/a%20b',
      query: { q: 'x y' },
      headers: { host: '127.0.0.1:9000', 'content-type': 'application/json' },
      body,
    });
    return {
      method: 'POST',
      rawPath: '/items/a%20b',
      rawQuery: 'q=x%20y',
      headers: Object.entries(result.headers).map(([name, value]) => [name, String(value)] as [string, string]),
      body: Buffer.from(body),
      sourceIp: '127.0.0.1',
      receivedAt: new Date(),
    };
  }

  it('accepts a request signed by the AWS SDK with the workbench credentials', async () => {
    expect(verifySigV4(await signed(credentials.secretAccessKey), credentials, 'us-east-1', 'lambda', Date.now())).toEqual({
      ok: true,
      accessKey: credentials.accessKeyId,
    });
  });

  it('refuses a wrong secret, a changed body and no signature', async () => {
    expect(verifySigV4(await signed('wrong-secret'), credentials, 'us-east-1', 'lambda', Date.now())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not match'),
    });
    const tampered = { ...(await signed(credentials.secretAccessKey)), body: Buffer.from('{"a":2}') };
    expect(verifySigV4(tampered, credentials, 'us-east-1', 'lambda', Date.now()).ok).toBe(false);
    expect(verifySigV4(request(), credentials, 'us-east-1', 'lambda', Date.now())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not signed'),
    });
  });

  it('refuses an old signature', async () => {
    expect(verifySigV4(await signed(credentials.secretAccessKey), credentials, 'us-east-1', 'lambda', Date.now() + 20 * 60_000).ok).toBe(
      false,
    );
  });
});

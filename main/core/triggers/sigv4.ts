import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpRequestInfo } from './http-events.js';

/** The credentials a signature must be made with: the workbench's local ones. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SignatureCheck = { ok: true; accessKey: string } | { ok: false; reason: string };

/** Requests signed more than this long before or after now are refused, as AWS refuses them. */
const MAX_SKEW_MS = 15 * 60_000;

/**
 * Checks an AWS Signature Version 4 Authorization header, as a function URL with AuthType AWS_IAM
 * does before it runs the function. The request must be signed for `service` in `region` with the
 * given credentials. Signatures in the query string (presigned URLs) are not accepted.
 */
export function verifySigV4(
  request: HttpRequestInfo,
  credentials: SigningCredentials,
  region: string,
  service: string,
  now: number,
): SignatureCheck {
  const authorization = headerValue(request, 'authorization');
  if (!authorization) return { ok: false, reason: 'The request is not signed: AuthType AWS_IAM needs a SigV4 Authorization header.' };
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
    authorization.trim(),
  );
  if (!match) return { ok: false, reason: 'The Authorization header is not an AWS4-HMAC-SHA256 signature.' };
  const [, credential, signedHeadersText, signature] = match as unknown as [string, string, string, string];
  const [accessKey, date, scopeRegion, scopeService, terminator] = credential.split('/');
  if (accessKey !== credentials.accessKeyId) {
    return { ok: false, reason: `The access key ${accessKey} is not the workbench's; sign with ${credentials.accessKeyId}.` };
  }
  if (scopeRegion !== region || scopeService !== service || terminator !== 'aws4_request' || !date) {
    return { ok: false, reason: `The credential scope ${credential} is not for ${region}/${service}.` };
  }
  const amzDate = headerValue(request, 'x-amz-date');
  if (!amzDate || !amzDate.startsWith(date)) return { ok: false, reason: 'X-Amz-Date is missing or does not match the credential date.' };
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (!Number.isFinite(signedAt) || Math.abs(now - signedAt) > MAX_SKEW_MS) {
    return { ok: false, reason: 'Signature expired or not yet valid: X-Amz-Date is more than 15 minutes from now.' };
  }
  const signedHeaders = signedHeadersText.split(';');
  if (!signedHeaders.includes('host')) return { ok: false, reason: 'The signature must cover the Host header.' };
  const canonicalHeaders = signedHeaders
    .map(
      (name) =>
        `${name}:${headerValues(request, name)
          .map((value) => value.trim().replace(/\s+/g, ' '))
          .join(',')}\n`,
    )
    .join('');
  const bodyHash = sha256(request.body);
  const declaredHash = headerValue(request, 'x-amz-content-sha256');
  // The declared hash is signed; the body must also be the one it declares.
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && declaredHash !== bodyHash) {
    return { ok: false, reason: 'The body does not match its x-amz-content-sha256 header.' };
  }
  const payloadHash = declaredHash ?? bodyHash;
  const canonicalRequest = [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request.rawQuery),
    canonicalHeaders,
    signedHeadersText,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = [date, region, service, 'aws4_request'].reduce<Buffer>(
    (current, part) => hmac(current, part),
    Buffer.from(`AWS4${credentials.secretAccessKey}`),
  );
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'The request signature does not match the signature the workbench computed.' };
  }
  return { ok: true, accessKey };
}

function headerValues(request: HttpRequestInfo, name: string): string[] {
  return request.headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

function headerValue(request: HttpRequestInfo, name: string): string | undefined {
  return headerValues(request, name)[0];
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** RFC 3986 encoding, as SigV4 uses it: everything but unreserved characters is escaped. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each path segment is encoded again, as SigV4 asks of every service but S3. */
function canonicalPath(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  return rawPath
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const equals = part.indexOf('=');
      const [name, value] = equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)];
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

import { LambdaApiError } from './errors.js';

/** Lambda's wording for a parameter that breaks a constraint. */
export function validationError(value: unknown, member: string, constraint: string): LambdaApiError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return new LambdaApiError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export function requireInteger(body: Record<string, unknown>, key: string, member: string, min: number, max: number): number {
  const value = body[key];
  if (value === undefined) throw validationError(null, member, 'Member must not be null');
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validationError(value, member, 'Member must be an integer');
  if (value < min) throw validationError(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalInteger(body: Record<string, unknown>, key: string, member: string, min: number, max: number): number | undefined {
  return body[key] === undefined ? undefined : requireInteger(body, key, member, min, max);
}

export function optionalString(body: Record<string, unknown>, key: string, member: string, maxLength = 256): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw validationError(value, member, 'Member must be a string');
  if (value.length > maxLength) throw validationError(value, member, `Member must have length less than or equal to ${maxLength}`);
  return value;
}

export function pageParameters(url: URL): { start: number; maxItems: number } {
  const raw = url.searchParams.get('MaxItems');
  const maxItems = raw === null ? 50 : Number(raw);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)
    throw validationError(raw, 'maxItems', 'Member must have value between 1 and 10000');
  const marker = url.searchParams.get('Marker');
  const start = marker ? Number(Buffer.from(marker, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new LambdaApiError(400, 'InvalidParameterValueException', 'Invalid Marker');
  return { start, maxItems };
}

/** Cuts one page out of a list, with Lambda's opaque NextMarker. */
export function page<T>(items: T[], url: URL): { items: T[]; nextMarker: string | null } {
  const { start, maxItems } = pageParameters(url);
  const next = start + maxItems < items.length ? Buffer.from(String(start + maxItems)).toString('base64') : null;
  return { items: items.slice(start, start + maxItems), nextMarker: next };
}

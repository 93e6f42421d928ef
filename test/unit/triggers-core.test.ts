import { describe, expect, it } from 'vitest';
import { checkEventPattern, EventPatternError, matchesPattern } from '../../main/core/triggers/event-pattern.js';
import { parseSchedule, ScheduleError } from '../../main/core/triggers/schedule.js';

const order = (detail: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  source: 'shop.orders',
  'detail-type': 'OrderPlaced',
  detail,
  ...extra,
});

describe('event patterns', () => {
  it('matches exact values, and any element of an array', () => {
    const pattern = { source: ['shop.orders'], detail: { state: ['paid', 'shipped'] } };
    expect(matchesPattern(pattern, order({ state: 'paid' }))).toBe(true);
    expect(matchesPattern(pattern, order({ state: 'new' }))).toBe(false);
    expect(matchesPattern(pattern, order({ state: ['new', 'shipped'] }))).toBe(true);
    expect(matchesPattern(pattern, { source: 'shop.orders' })).toBe(false);
  });

  it('matches prefix, suffix and equals-ignore-case', () => {
    expect(matchesPattern({ detail: { key: [{ prefix: 'images/' }] } }, order({ key: 'images/cat.jpg' }))).toBe(true);
    expect(matchesPattern({ detail: { key: [{ suffix: '.jpg' }] } }, order({ key: 'images/cat.png' }))).toBe(false);
    expect(matchesPattern({ detail: { key: [{ suffix: { 'equals-ignore-case': '.JPG' } }] } }, order({ key: 'a.jpg' }))).toBe(true);
    expect(matchesPattern({ detail: { name: [{ 'equals-ignore-case': 'ADA' }] } }, order({ name: 'ada' }))).toBe(true);
  });

  it('matches numeric ranges and anything-but', () => {
    const pattern = { detail: { total: [{ numeric: ['>', 100, '<=', 500] }], country: [{ 'anything-but': ['FR', 'DE'] }] } };
    expect(matchesPattern(pattern, order({ total: 250, country: 'NL' }))).toBe(true);
    expect(matchesPattern(pattern, order({ total: 100, country: 'NL' }))).toBe(false);
    expect(matchesPattern(pattern, order({ total: 250, country: 'FR' }))).toBe(false);
    expect(matchesPattern(pattern, order({ total: '250', country: 'NL' }))).toBe(false);
    expect(matchesPattern({ detail: { id: [{ 'anything-but': { prefix: 'test-' } }] } }, order({ id: 'test-1' }))).toBe(false);
  });

  it('matches exists, wildcard, cidr and $or', () => {
    expect(matchesPattern({ detail: { coupon: [{ exists: false }] } }, order({}))).toBe(true);
    expect(matchesPattern({ detail: { coupon: [{ exists: true }] } }, order({}))).toBe(false);
    expect(matchesPattern({ detail: { path: [{ wildcard: 'dir/*.png' }] } }, order({ path: 'dir/a/b.png' }))).toBe(true);
    expect(matchesPattern({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, order({ ip: '10.0.0.7' }))).toBe(true);
    expect(matchesPattern({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, order({ ip: '10.0.1.7' }))).toBe(false);
    const either = { detail: { $or: [{ total: [{ numeric: ['>', 1000] }] }, { vip: [true] }] } };
    expect(matchesPattern(either, order({ total: 5, vip: true }))).toBe(true);
    expect(matchesPattern(either, order({ total: 5, vip: false }))).toBe(false);
  });

  it('names the part of a malformed pattern', () => {
    expect(() => checkEventPattern({ detail: { total: [{ numeric: ['>>', 1] }] } })).toThrow(
      /EventPattern\.detail\.total: \[">>",1\] is not an operator/,
    );
    expect(() => checkEventPattern({ source: 'shop' })).toThrow(EventPatternError);
    expect(() => checkEventPattern({ source: [] })).toThrow(/empty list/);
  });
});

describe('schedule expressions', () => {
  const at = (iso: string): number => Date.parse(iso);
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

  it('fires a rate every interval from the start', () => {
    const schedule = parseSchedule('rate(5 minutes)');
    const first = schedule.next(at('2026-01-01T00:00:30Z'));
    expect(iso(first)).toBe('2026-01-01T00:05:30.000Z');
    expect(iso(schedule.next(first!))).toBe('2026-01-01T00:10:30.000Z');
  });

  it('refuses a rate with the wrong number form', () => {
    expect(() => parseSchedule('rate(1 minutes)')).toThrow(/rate\(1 minute\)/);
    expect(() => parseSchedule('rate(0 hours)')).toThrow(ScheduleError);
  });

  it('fires cron at the next matching minute, in UTC', () => {
    expect(iso(parseSchedule('cron(0 12 * * ? *)').next(at('2026-01-01T12:00:00Z')))).toBe('2026-01-02T12:00:00.000Z');
    expect(iso(parseSchedule('cron(15 10 ? * MON-FRI *)').next(at('2026-01-03T00:00:00Z')))).toBe('2026-01-05T10:15:00.000Z');
    expect(iso(parseSchedule('cron(0/15 * * * ? *)').next(at('2026-01-01T00:16:00Z')))).toBe('2026-01-01T00:30:00.000Z');
  });

  it('knows the last day, the nearest weekday and the nth weekday', () => {
    expect(iso(parseSchedule('cron(0 0 L * ? *)').next(at('2026-02-10T00:00:00Z')))).toBe('2026-02-28T00:00:00.000Z');
    // 2026-08-15 is a Saturday: the nearest weekday is Friday the 14th.
    expect(iso(parseSchedule('cron(0 9 15W * ? *)').next(at('2026-08-01T00:00:00Z')))).toBe('2026-08-14T09:00:00.000Z');
    // The second Tuesday of March 2026 is the 10th.
    expect(iso(parseSchedule('cron(0 8 ? 3 TUE#2 2026)').next(at('2026-01-01T00:00:00Z')))).toBe('2026-03-10T08:00:00.000Z');
    expect(iso(parseSchedule('cron(0 8 ? 3 6L 2026)').next(at('2026-01-01T00:00:00Z')))).toBe('2026-03-27T08:00:00.000Z');
  });

  it('refuses cron with both day fields or a bad value', () => {
    expect(() => parseSchedule('cron(0 12 * * * *)')).toThrow(/exactly one of day-of-month and day-of-week/);
    expect(() => parseSchedule('cron(61 * * * ? *)')).toThrow(/"61" is not a valid minutes/);
    expect(() => parseSchedule('cron(0 12 * *)')).toThrow(/has 4 fields/);
  });
});

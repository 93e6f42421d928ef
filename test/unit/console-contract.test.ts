import { describe, expect, it } from 'vitest';
import { CHANNEL_SCHEMAS } from '../../main/contract/schemas.js';
import { parseRoute, routeHref } from '../../renderer/src/routes.js';

describe('console contract', () => {
  it('refuses a code path that leads out of the code folder', () => {
    for (const bad of ['../secret', '/etc/passwd', 'a/../../b', 'a\\..\\b']) {
      expect(CHANNEL_SCHEMAS['code.read'].safeParse({ name: 'Fn', path: bad }).success, bad).toBe(false);
    }
    expect(CHANNEL_SCHEMAS['code.read'].safeParse({ name: 'Fn', path: 'lib/util.js' }).success).toBe(true);
  });

  it('refuses unknown arguments and bad function names', () => {
    expect(CHANNEL_SCHEMAS['functions.get'].safeParse({ name: 'Fn', extra: 1 }).success).toBe(false);
    expect(CHANNEL_SCHEMAS['functions.get'].safeParse({ name: 'bad name' }).success).toBe(false);
  });

  it('lets Lambda-range checks, not the schema, judge the numbers of general configuration', () => {
    // A blank field arrives as null and gets the editor's message naming the allowed range.
    expect(
      CHANNEL_SCHEMAS['functions.updateGeneral'].safeParse({
        name: 'Fn',
        memoryMb: null,
        timeoutSeconds: 3,
        ephemeralStorageMb: 512,
        description: '',
      }).success,
    ).toBe(true);
  });
});

describe('console routes', () => {
  it('reads and writes the function page address', () => {
    const route = { page: 'function' as const, name: 'Orders', tab: 'configuration', section: 'environment' };
    expect(parseRoute(routeHref(route))).toEqual(route);
    expect(parseRoute('#/functions/Orders')).toEqual({ page: 'function', name: 'Orders', tab: 'code', section: undefined });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'functions' });
    expect(parseRoute('#/create')).toEqual({ page: 'create' });
  });
});

/**
 * EventBridge event patterns: which events a rule selects. A pattern is a JSON object whose leaves
 * are arrays of matchers; an event matches when every key of the pattern matches, and a leaf
 * matches when any of its matchers matches the event's value (or, for an array value, any of its
 * elements). The matchers are EventBridge's: exact values, prefix, suffix, equals-ignore-case,
 * anything-but, numeric, exists, wildcard and cidr, and $or between sub-patterns.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class EventPatternError extends Error {}

/** Checks a pattern's shape, throwing an EventPatternError that names the first problem. */
export function checkEventPattern(pattern: unknown, where = 'EventPattern'): void {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new EventPatternError(`${where} must be a JSON object.`);
  }
  if (Object.keys(pattern).length === 0) throw new EventPatternError(`${where} is empty; EventBridge needs at least one field to match.`);
  for (const [key, value] of Object.entries(pattern as Record<string, unknown>)) {
    const path = `${where}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new EventPatternError(`${path} must list at least two patterns.`);
      value.forEach((item, index) => checkEventPattern(item, `${path}[${index}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError(`${path} is an empty list; give at least one value to match.`);
      for (const matcher of value) checkMatcher(matcher, path);
    } else if (value !== null && typeof value === 'object') {
      checkEventPattern(value, path);
    } else {
      throw new EventPatternError(`${path} must be a list of values to match or a nested pattern, not ${JSON.stringify(value)}.`);
    }
  }
}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'wildcard', 'cidr'];

function checkMatcher(matcher: unknown, path: string): void {
  if (matcher === null || typeof matcher !== 'object') return;
  if (Array.isArray(matcher))
    throw new EventPatternError(`${path} holds a nested list; a matcher is a value or an object such as {"prefix": "x"}.`);
  const keys = Object.keys(matcher);
  const operator = keys[0];
  if (keys.length !== 1 || !operator || !OPERATORS.includes(operator)) {
    throw new EventPatternError(`${path} has the matcher ${JSON.stringify(matcher)}; use one of ${OPERATORS.join(', ')}.`);
  }
  const operand = (matcher as Record<string, unknown>)[operator];
  if (operator === 'numeric') numericConditions(operand, path);
  if (operator === 'exists' && typeof operand !== 'boolean') throw new EventPatternError(`${path}: exists takes true or false.`);
}

/** Tells whether an event (any JSON) matches a pattern. */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(expected as Array<Record<string, unknown>>).some((alternative) => matchesPattern(alternative, event))) return false;
      continue;
    }
    const present = event !== null && typeof event === 'object' && !Array.isArray(event) && Object.hasOwn(event, key);
    const value = present ? (event as Record<string, Json>)[key] : undefined;
    if (Array.isArray(expected)) {
      if (!matchesLeaf(expected, present, value)) return false;
    } else if (expected !== null && typeof expected === 'object') {
      if (!present || !matchesPattern(expected as Record<string, unknown>, value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchesLeaf(matchers: unknown[], present: boolean, value: Json | undefined): boolean {
  // exists:false is the one matcher a missing field can satisfy.
  if (!present) return matchers.some((matcher) => isOperator(matcher, 'exists') && (matcher as { exists: boolean }).exists === false);
  const candidates: Json[] = Array.isArray(value) ? value : [value as Json];
  return matchers.some((matcher) => {
    if (isOperator(matcher, 'exists'))
      return (matcher as { exists: boolean }).exists === true && !(Array.isArray(value) && value.length === 0);
    return candidates.some((candidate) => matchesOne(matcher, candidate));
  });
}

function isOperator(matcher: unknown, operator: string): boolean {
  return matcher !== null && typeof matcher === 'object' && !Array.isArray(matcher) && Object.hasOwn(matcher, operator);
}

function matchesOne(matcher: unknown, value: Json): boolean {
  if (matcher === null || typeof matcher !== 'object') {
    if (typeof matcher === 'number' && typeof value === 'number') return matcher === value;
    return matcher === value;
  }
  const [operator, operand] = Object.entries(matcher as Record<string, unknown>)[0]!;
  switch (operator) {
    case 'prefix':
      return (
        typeof value === 'string' &&
        stringTest(operand, (text, ignoreCase) =>
          ignoreCase ? value.toLowerCase().startsWith(text.toLowerCase()) : value.startsWith(text),
        )
      );
    case 'suffix':
      return (
        typeof value === 'string' &&
        stringTest(operand, (text, ignoreCase) => (ignoreCase ? value.toLowerCase().endsWith(text.toLowerCase()) : value.endsWith(text)))
      );
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcardMatches(operand, value);
    case 'numeric':
      return typeof value === 'number' && numericConditions(operand, 'numeric').every(([op, bound]) => compare(value, op, bound));
    case 'cidr':
      return typeof value === 'string' && typeof operand === 'string' && inCidr(value, operand);
    case 'anything-but':
      return anythingBut(operand, value);
    default:
      return false;
  }
}

/** A prefix or suffix operand: a string, or {"equals-ignore-case": string}. */
function stringTest(operand: unknown, test: (text: string, ignoreCase: boolean) => boolean): boolean {
  if (typeof operand === 'string') return test(operand, false);
  const ignoring = (operand as Record<string, unknown> | null)?.['equals-ignore-case'];
  return typeof ignoring === 'string' && test(ignoring, true);
}

function anythingBut(operand: unknown, value: Json): boolean {
  if (Array.isArray(operand)) return !operand.some((excluded) => matchesOne(excluded, value));
  if (operand !== null && typeof operand === 'object') return typeof value === 'string' && !matchesOne(operand, value);
  return !matchesOne(operand, value);
}

type Comparison = ['<' | '<=' | '=' | '>=' | '>', number];

function numericConditions(operand: unknown, path: string): Comparison[] {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw new EventPatternError(`${path}: numeric takes pairs of an operator and a number, such as [">", 0, "<=", 5].`);
  }
  const conditions: Comparison[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const [op, bound] = [operand[index], operand[index + 1]];
    if (!['<', '<=', '=', '>=', '>'].includes(op as string) || typeof bound !== 'number') {
      throw new EventPatternError(`${path}: ${JSON.stringify([op, bound])} is not an operator (<, <=, =, >=, >) and a number.`);
    }
    conditions.push([op as Comparison[0], bound]);
  }
  return conditions;
}

function compare(value: number, op: Comparison[0], bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '=':
      return value === bound;
    case '>=':
      return value >= bound;
    case '>':
      return value > bound;
  }
}

function wildcardMatches(pattern: string, value: string): boolean {
  const expression = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${expression}$`, 's').test(value);
}

function inCidr(address: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const toNumber = (ip: string): number | undefined => {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
    return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
  };
  const a = toNumber(address);
  const n = network ? toNumber(network) : undefined;
  if (a === undefined || n === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (n & mask) >>> 0;
}

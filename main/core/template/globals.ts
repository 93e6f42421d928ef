/**
 * Merges Globals.Function into a function's Properties as SAM does: the function's own scalar
 * values win, maps merge key by key, and lists concatenate with the global entries first.
 */
export function mergeGlobals(globals: unknown, own: unknown): unknown {
  if (own === undefined) return globals;
  if (globals === undefined) return own;
  if (Array.isArray(globals) && Array.isArray(own)) return [...globals, ...own];
  if (isPlainMap(globals) && isPlainMap(own)) {
    const result: Record<string, unknown> = { ...globals };
    for (const [key, value] of Object.entries(own)) result[key] = mergeGlobals(globals[key], value);
    return result;
  }
  return own;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // A map with a single Ref or Fn:: key is an intrinsic function: it replaces, it does not merge.
  const keys = Object.keys(value);
  return !(keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::')));
}

/** An alias's versions: the primary one, and optionally a second one that gets a share of calls. */
export interface AliasRouting {
  functionVersion: string;
  additionalVersionWeights?: Readonly<Record<string, number>>;
}

/**
 * Picks the version an alias call runs, as weighted routing does on Lambda: each additional
 * version gets its weight's share of calls, the primary version the rest.
 */
export function pickVersion(routing: AliasRouting, random: () => number = Math.random): string {
  let draw = random();
  for (const [version, weight] of Object.entries(routing.additionalVersionWeights ?? {})) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return routing.functionVersion;
}

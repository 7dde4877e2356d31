// Target-module selection as PEFT does it (peft/tuners/tuners_utils.py check_target_module_exists, peft/utils/constants.py):
// a list entry matches a module whose dotted name equals it or ends with "." + entry;
// a single string is a regular expression that must match the whole name. Pure; no I/O.

export type Targets = readonly string[] | string;

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** A predicate over module names (tensor name without `.weight`), built once per selection. */
export function targetMatcher(targets: Targets): (module: string) => boolean {
  if (typeof targets === 'string') {
    let re: RegExp;
    try {
      // Python's re.fullmatch: anchor both ends around the whole alternation.
      re = new RegExp(`^(?:${targets})$`);
    } catch (err) {
      throw new TargetError(`targets: "${targets}" is not a valid regular expression (${(err as Error).message})`);
    }
    return (module) => re.test(module);
  }
  return (module) => targets.some((t) => matchesEntry(module, t));
}

export function matchesEntry(module: string, entry: string): boolean {
  return module === entry || module.endsWith(`.${entry}`);
}

/** The last dotted component, e.g. "q_proj" for "model.layers.0.self_attn.q_proj". */
export const leafName = (module: string): string => module.slice(module.lastIndexOf('.') + 1);

/**
 * The names nearest to `wanted` among `candidates`: within an edit distance of about
 * a third of its length, or containing it or contained in it. Used to say "did you mean …".
 */
export function closeNames(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = wanted.toLowerCase();
  const bound = Math.max(2, Math.floor(w.length / 3));
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    const lc = c.toLowerCase();
    const d = lc.includes(w) || w.includes(lc) ? 0.5 : editDistance(w, lc);
    if (d <= bound) scored.push([c, d]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  // Only the nearest: "did you mean q_proj" rather than every *_proj one edit further.
  return scored.filter(([, d]) => d === scored[0]![1]).slice(0, limit).map(([c]) => c);
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

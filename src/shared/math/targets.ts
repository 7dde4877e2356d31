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

/** PEFT's shorthand for every Linear/Conv1D layer except the output head (peft/tuners/tuners_utils.py _maybe_include_all_linear_layers). */
export const ALL_LINEAR = 'all-linear';
export type TargetSpec = Targets | typeof ALL_LINEAR;

/** A module that could carry an adapter, as both the inspector (from headers) and the trainer (from the runtime model) see it. */
export interface TargetCandidate {
  /** PEFT's module name (the path inside the transformers model). */
  module: string;
  /** linear, conv1d and embedding modules with a 2-D weight can carry an adapter; anything else (norm, bias, buffer) cannot. */
  kind: string;
  /** False for a linear/conv1d/embedding tensor that is not 2-D. */
  twoD?: boolean;
  /** The output projection (lm_head): all-linear leaves it out, as PEFT does. */
  head: boolean;
}

/** all-linear as PEFT expands it: the leaf names of every Linear/Conv1D module but the output head. */
export function expandAllLinear(candidates: readonly TargetCandidate[]): string[] {
  return [...new Set(candidates.filter((c) => isAdaptable(c) && c.kind !== 'embedding' && !c.head).map((c) => leafName(c.module)))];
}

/**
 * The one target selector, shared by `loralab inspect` and training. Every list entry
 * must select an adaptable module (PEFT only complains when nothing at all matches;
 * naming the dead entry is kinder); `all-linear` becomes the leaf names of every
 * Linear/Conv1D but the head, as PEFT expands it. Returns the chosen candidates in
 * the candidates' order. `where` starts each message (e.g. "lora.targets: target").
 */
export function selectTargetModules<C extends TargetCandidate>(candidates: readonly C[], spec: TargetSpec, where = 'target'): C[] {
  const adaptable = candidates.filter(isAdaptable);
  const targets: Targets = spec === ALL_LINEAR ? expandAllLinear(candidates) : spec;
  const entries = typeof targets === 'string' ? [targets] : targets;
  if (entries.length === 0) throw new TargetError(`${where}s: the list is empty; name at least one module`);
  const chosen = adaptable.filter((c) => targetMatcher(targets)(c.module));
  for (const entry of entries) {
    const match = typeof targets === 'string' ? () => true : targetMatcher([entry]);
    if (!chosen.some((c) => match(c.module))) throw unmatched(where, entry, typeof targets === 'string', adaptable, candidates);
  }
  return chosen;
}

const ADAPTABLE_KINDS: ReadonlySet<string> = new Set(['linear', 'conv1d', 'embedding']);
const isAdaptable = (c: TargetCandidate): boolean => ADAPTABLE_KINDS.has(c.kind) && c.twoD !== false;

function unmatched(where: string, entry: string, isRegex: boolean, adaptable: readonly TargetCandidate[], all: readonly TargetCandidate[]): TargetError {
  const leaves = [...new Set(adaptable.map((m) => leafName(m.module)))];
  const matcher = targetMatcher(isRegex ? entry : [entry]);
  const wrongKind = all.find((c) => !isAdaptable(c) && matcher(c.module));
  if (wrongKind) {
    return new TargetError(
      `${where} "${entry}" matches ${wrongKind.module}, a ${wrongKind.kind} without a 2-D weight; ` +
        `only Linear, Conv1D and Embedding weights can be targets (available: ${leaves.join(', ')})`,
    );
  }
  const close = closeNames(isRegex ? entry.replace(/[^A-Za-z0-9_.]/g, '') : leafName(entry), leaves);
  const hint = close.length > 0 ? `; did you mean ${close.join(' or ')}?` : '';
  return new TargetError(`${where} ${isRegex ? `regex /${entry}/` : `"${entry}"`} matches no module${hint} (available: ${leaves.join(', ')})`);
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

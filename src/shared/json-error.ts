// Where a JSON.parse failure is — "at line 3, column 7" — without V8's message,
// which quotes the input ("Unexpected token 'h', "hello world" is not valid JSON").
// A file's bytes may be private (a dataset, a token in a config) and errors travel
// to windows, sockets and logs: say what was wrong and where, never the bytes.

/** " at line L, column C" (1-based) from the error's character position, or " (it ends early)" / "". */
export function jsonErrorWhere(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/end of JSON/i.test(message)) return ' (it ends early)';
  const at = /position (\d+)/.exec(message);
  const pos = at ? Math.min(Number(at[1]), text.length) : firstBadCharacter(text);
  if (pos < 0) return '';
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/**
 * V8 gives no position for some errors ("Unexpected token"). A prefix of the text
 * fails either at its end (incomplete: fine so far) or at a bad character (which
 * every longer prefix keeps), so a binary search over prefix lengths finds the
 * first bad character in O(log n) parses.
 */
function firstBadCharacter(text: string): number {
  const bad = (k: number) => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (e) {
      // An error at the prefix's end ("Unexpected end", "Unterminated string … at position k") means "incomplete", not bad.
      const m = (e as Error).message;
      const at = /position (\d+)/.exec(m);
      return !/end of JSON/i.test(m) && !(at && Number(at[1]) >= k);
    }
  };
  if (!bad(text.length)) return -1;
  let lo = 0;
  let hi = text.length; // bad(hi) holds
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (bad(mid)) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** "not valid JSON at line L, column C". */
export const notValidJson = (err: unknown, text: string): string => `not valid JSON${jsonErrorWhere(err, text)}`;

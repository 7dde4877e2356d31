// A second pass over a header that JSON.parse has already accepted, for the two
// things JSON.parse hides: a key repeated inside one object (it silently keeps
// the last, and the format forbids duplicates), and the literal spelling of
// numbers (`2.0`, `-0` and `1e3` all parse to integers, but a safetensors
// reader must treat shapes and offsets as unsigned integers, as the reference
// reader's usize fields do). Iterative, so no input nests deep enough to
// overflow the stack.

export interface DuplicateKey {
  /** The keys of the objects around the duplicate, outermost first. */
  path: string[];
  key: string;
}

/**
 * Called for each number literal with the keys of the object members around it
 * (array positions are not part of the path). The path array is reused: copy it to keep it.
 */
export type NumberVisitor = (path: readonly string[], literal: string) => void;

interface Frame {
  /** Keys seen so far; null for an array. */
  keys: Set<string> | null;
  expectKey: boolean;
  hasKey: boolean;
}

/** Scans valid JSON text; returns the first duplicate key, or null. */
export function scanJson(text: string, visitNumber?: NumberVisitor): DuplicateKey | null {
  const frames: Frame[] = [];
  const path: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      frames.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b, hasKey: false });
      i += 1;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (frames.pop()?.hasKey) path.pop();
      i += 1;
    } else if (c === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top?.keys) top.expectKey = true;
      i += 1;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectKey) {
        const raw = text.slice(i, end);
        // Escapes must be decoded to compare keys: "a" and "\u0061" are one key.
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) return { path: top.hasKey ? path.slice(0, -1) : [...path], key };
        top.keys.add(key);
        if (top.hasKey) path.pop();
        path.push(key);
        top.hasKey = true;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end += 1;
      visitNumber?.(path, text.slice(i, end));
      i = end;
    } else {
      // Whitespace, ':', and the letters of true/false/null.
      i += 1;
    }
  }
  return null;
}

/** True for a literal that is a plain non-negative integer: no sign, fraction or exponent. */
export function isUnsignedIntegerLiteral(literal: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(literal);
}

/** The index just past the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  // The bound only matters for text that is not valid JSON, which callers never pass.
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    i += c === 0x5c /* \ */ ? 2 : 1;
  }
  return text.length;
}

function isNumberChar(c: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

// Incremental detokenization for generation: ids arrive one at a time and the
// caller prints only the new text. Decoding ids one by one is wrong for two
// reasons: a character may be split over several byte tokens (byte-level BPE,
// SentencePiece byte fallback), and decoders such as Metaspace change a
// token's text depending on whether it is first. So, as in Hugging Face's
// text-generation-inference, each step decodes a short window twice — with and
// without the new ids — and emits the difference once it no longer ends in a
// half character (U+FFFD).

/** Decodes a list of ids to text; must return '' for an empty list. */
export type DecodeFn = (ids: readonly number[]) => string;

export interface StreamDecoder {
  /** Adds one generated id; returns the text it completes ('' while a character is still partial). */
  push(id: number): string;
  /** Ends the stream: returns text still held back (a character that never completed shows as U+FFFD). */
  flush(): string;
  /** Every id pushed so far. */
  readonly ids: readonly number[];
}

const REPLACEMENT = '\uFFFD';
// A UTF-8 character has at most 4 bytes and every byte token adds at least one,
// so a window still ending in U+FFFD after this many held ids is genuinely
// invalid text; it is emitted rather than held forever.
const MAX_HELD_IDS = 4;

export function createStreamDecoder(decode: DecodeFn): StreamDecoder {
  const ids: number[] = [];
  // ids[prefixOffset, readOffset) were already emitted and give the context
  // the new ids are decoded in; ids[readOffset, …) are not yet emitted.
  let prefixOffset = 0;
  let readOffset = 0;

  const step = (force: boolean): string => {
    const prefixText = decode(ids.slice(prefixOffset, readOffset));
    const newText = decode(ids.slice(prefixOffset));
    const held = ids.length - readOffset;
    const partial = newText.endsWith(REPLACEMENT) && held < MAX_HELD_IDS;
    if (newText.length > prefixText.length && (force || !partial)) {
      prefixOffset = readOffset;
      readOffset = ids.length;
      return newText.slice(prefixText.length);
    }
    if (force) {
      prefixOffset = readOffset = ids.length;
    }
    return '';
  };

  return {
    push(id: number): string {
      ids.push(id);
      return step(false);
    },
    flush(): string {
      return step(true);
    },
    ids,
  };
}

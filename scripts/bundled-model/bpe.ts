// Byte-level BPE training (GPT-2 style) and the Hugging Face tokenizer.json it
// is saved as. Pure: text in, file contents out; train-tokenizer.ts does the
// I/O. Used by train-tokenizer.ts and test/integration/bundled-tokenizer.test.ts.
//
// The algorithm (Sennrich et al. 2016, on bytes as in GPT-2):
// 1. Split every text with the pre-tokenisation pattern (the one the Split
//    pre-tokenizer applies at encode time, so training sees exactly the pieces
//    encoding will see) and count each distinct piece.
// 2. Write each piece as its UTF-8 bytes; the alphabet is all 256 bytes, so
//    any text encodes and no unknown token is needed.
// 3. Repeatedly merge the most frequent adjacent pair of symbols into a new
//    symbol, until the vocabulary has the target size. Ties go to the pair
//    with the smaller (left id, right id), as in Hugging Face's trainer, so the
//    result depends only on the counts.
//
// Pair counts are kept up to date incrementally: a merge re-counts only the
// distinct pieces that contain the merged pair (found through an index from
// pair to pieces), and a max-heap with lazy deletion finds the next pair.

/**
 * The pre-tokenisation pattern: GPT-2's (contractions, letters, other symbols,
 * each with one leading space; runs of spaces) except that every digit is a
 * piece of its own with no space, so "4721" is always the four tokens 4 7 2 1
 * wherever it stands. GPT-2's ` ?\p{N}+` would let BPE merge " 19", "60" and
 * "000" into tokens whose digits a small model cannot see; Llama 3 and Qwen
 * split digits for the same reason (Llama 3 in groups of up to three).
 */
export const PRETOKENIZE_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
export const PRETOKENIZE_REGEX = new RegExp(PRETOKENIZE_PATTERN, 'gu');

/**
 * GPT-2's bytes_to_unicode: byte b is written as BYTE_CHARS[b], a printable
 * character, so that a token is a readable string without spaces or control
 * characters (a space is 'Ġ', a newline 'Ċ').
 */
export const BYTE_CHARS: readonly string[] = (() => {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const chars: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    chars[b] = String.fromCodePoint(printable.includes(b) ? b : next++);
  }
  return chars;
})();

export interface BpeOptions {
  /** Size of the whole vocabulary: special tokens + 256 bytes + merges. */
  vocabSize: number;
  /** Given ids 0, 1, … in this order, before the 256 byte tokens. */
  specialTokens: readonly string[];
  /** A pair seen fewer times than this is never merged (default 2: a merge must save something). */
  minFrequency?: number;
}

export interface BpeModel {
  /** Token string by id (GPT-2 byte characters; special tokens as written). */
  vocab: string[];
  /** Merges in rank order, as [left, right] token strings. */
  merges: Array<[string, string]>;
  specialTokens: readonly string[];
}

// Pair (left id, right id) as one number; ids stay far below 2^16.
const PAIR_SHIFT = 65536;
const pairKey = (a: number, b: number): number => a * PAIR_SHIFT + b;

export function trainBpe(texts: Iterable<string>, options: BpeOptions): BpeModel {
  const { vocabSize, specialTokens } = options;
  const minFrequency = options.minFrequency ?? 2;
  const firstByteId = specialTokens.length;
  if (vocabSize < firstByteId + 256) throw new RangeError(`vocabSize must be at least ${firstByteId + 256} (specials + 256 bytes), got ${vocabSize}`);

  // 1. Distinct pre-tokenised pieces and how often each occurs.
  const pieceCounts = new Map<string, number>();
  for (const text of texts) {
    for (const [piece] of text.matchAll(PRETOKENIZE_REGEX)) pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
  }

  // 2. Each piece as a sequence of token ids, starting from its bytes.
  const vocab: string[] = [...specialTokens, ...BYTE_CHARS];
  // Learned tokens are looked up among the byte and merged tokens only: a
  // special token is never produced by merging.
  const idOf = new Map<string, number>(BYTE_CHARS.map((t, b) => [t, firstByteId + b]));
  const encoder = new TextEncoder();
  const words: Int32Array[] = [];
  const freqs: number[] = [];
  for (const [piece, count] of pieceCounts) {
    words.push(Int32Array.from(encoder.encode(piece), (b) => firstByteId + b));
    freqs.push(count);
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1, delta: Map<number, number> | null): void => {
    const word = words[w]!;
    const f = sign * freqs[w]!;
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i]!, word[i + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + f);
      if (delta) delta.set(key, (delta.get(key) ?? 0) + f);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1, null);

  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  // 3. Merge the best pair until the vocabulary is full.
  const merges: Array<[string, string]> = [];
  while (vocab.length < vocabSize) {
    const top = heap.pop();
    if (!top) break;
    const [count, key] = top;
    // A stale heap entry: the pair's count changed after it was pushed.
    if (pairCounts.get(key) !== count) continue;
    if (count < minFrequency) break;
    const a = Math.floor(key / PAIR_SHIFT);
    const b = key % PAIR_SHIFT;
    const token = vocab[a]! + vocab[b]!;
    // Two merge paths can spell the same string ('ab'+'c', 'a'+'bc'): one id.
    let merged = idOf.get(token);
    if (merged === undefined) {
      if (specialTokens.includes(token)) throw new Error(`merging ${vocab[a]} and ${vocab[b]} spells the special token ${token}; the training text must not contain it`);
      merged = vocab.length;
      vocab.push(token);
      idOf.set(token, merged);
    }
    merges.push([vocab[a]!, vocab[b]!]);

    const delta = new Map<number, number>();
    for (const w of pairWords.get(key) ?? []) {
      const next = mergeWord(words[w]!, a, b, merged);
      // The index is not pruned when a pair leaves a piece; such pieces are skipped here.
      if (next === null) continue;
      addPairs(w, -1, delta);
      words[w] = next;
      addPairs(w, 1, delta);
    }
    pairWords.delete(key);
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const c = pairCounts.get(k)!;
      if (c > 0) heap.push(c, k);
      else pairCounts.delete(k);
    }
  }
  return { vocab, merges, specialTokens };
}

/** The word with each (a, b), left to right and not overlapping, replaced by `merged`; null if it has no (a, b). */
function mergeWord(word: Int32Array, a: number, b: number, merged: number): Int32Array | null {
  let out: number[] | null = null;
  for (let i = 0; i < word.length; i++) {
    if (word[i] === a && word[i + 1] === b) {
      out ??= Array.from(word.subarray(0, i));
      out.push(merged);
      i++;
    } else if (out) {
      out.push(word[i]!);
    }
  }
  return out ? Int32Array.from(out) : null;
}

/** A binary max-heap of (count, pair key): the highest count first, then the smallest key (smaller left id, then right id). */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] | null {
    const n = this.counts.length;
    if (n === 0) return null;
    const top: [number, number] = [this.counts[0]!, this.keys[0]!];
    this.swap(0, n - 1);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n - 1 && this.before(l, best)) best = l;
      if (r < n - 1 && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci !== cj ? ci > cj : this.keys[i]! < this.keys[j]!;
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }
}

export interface TokenizerFileOptions {
  /** Added at the start of every encoded text by the post-processor. */
  bosToken: string;
}

/**
 * The model as a Hugging Face tokenizers file (tokenizer.json), formatted as
 * the library's save(pretty=True) formats it, vocabulary in id order. Choices:
 * - pre_tokenizer: a Split on PRETOKENIZE_PATTERN (Isolated), then ByteLevel
 *   without its own regex and with add_prefix_space false (a text's first word
 *   has no leading-space marker), the shape of Llama 3's tokenizer.json;
 * - post_processor TemplateProcessing "<bos> $A": bos before every text, the
 *   way Llama's tokenizer.json does it (read by transformers' fast tokenizers
 *   and by @huggingface/tokenizers alike); no eos is added;
 * - merges as "left right" strings, the format every tokenizers version reads
 *   (byte-level tokens never contain a space);
 * - no unk_token: every byte is in the vocabulary.
 */
export function tokenizerJson(model: BpeModel, options: TokenizerFileOptions): string {
  const { vocab, merges, specialTokens } = model;
  const bosId = vocab.indexOf(options.bosToken);
  if (bosId < 0 || !specialTokens.includes(options.bosToken)) throw new Error(`bos token ${options.bosToken} is not one of the special tokens`);
  const bos = (typeId: number) => ({ SpecialToken: { id: options.bosToken, type_id: typeId } });
  const seq = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const file = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: PRETOKENIZE_PATTERN }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [bos(0), seq('A', 0)],
      pair: [bos(0), seq('A', 0), bos(1), seq('B', 1)],
      special_tokens: { [options.bosToken]: { id: options.bosToken, ids: [bosId], tokens: [options.bosToken] } },
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: VOCAB_PLACEHOLDER,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
  // JSON.stringify would list integer-like keys ("0", "19") first; write the
  // vocabulary by hand so it reads in id order, as tokenizers writes it.
  const indent = ' '.repeat(6);
  const vocabText = `{\n${vocab.map((t, id) => `${indent}${JSON.stringify(t)}: ${id}`).join(',\n')}\n    }`;
  return JSON.stringify(file, null, 2).replace(JSON.stringify(VOCAB_PLACEHOLDER), () => vocabText) + '\n';
}

const VOCAB_PLACEHOLDER = '@@vocab@@';

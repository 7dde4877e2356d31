// Reads a JSON Lines data file into training/eval examples: every line is one
// sequence in one of docs/ARCHITECTURE.md's row shapes, encoded by the tokenizer module.
// Blank lines are skipped; a bad line is an error naming the file and line.
//
// Read with limits, so a data path cannot make the engine (or main, for a
// preview) grow without bound: only regular files (not /dev/zero, a FIFO or a
// folder), at most DATA_LIMITS.maxBytes in all and maxLineBytes per line, read
// in chunks. Errors say what was wrong and where — never the bytes themselves,
// which may be private data shown in a window or sent over a socket.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { encodeExample, ExampleError, IGNORE_INDEX, type Example, type HfTokenizer } from '../io/tokenizer/index';
import { notValidJson } from '../../../shared/json-error';

export interface DataLimits {
  /** The largest data file read (bytes). */
  maxBytes: number;
  /** The longest line (bytes, before decoding). */
  maxLineBytes: number;
}

/** 4 GiB of JSON Lines is far more text than a LoRA run reads; one line of 64 MiB is a file without newlines. */
export const DATA_LIMITS: DataLimits = { maxBytes: 4 * 1024 ** 3, maxLineBytes: 64 * 1024 ** 2 };

/** A data file refused as a whole or at a line before any row is parsed: not readable, too big, not UTF-8. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
}

const CHUNK = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The non-blank lines of a data file with their 1-based numbers, decoded as strict UTF-8, within `limits`. */
export function* dataLines(file: string, limits: DataLimits = DATA_LIMITS): Generator<{ line: number; text: string }> {
  let fd: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new DataFileError(`${file}: not a regular file (a device, pipe or folder); a data file must be a JSON Lines file`);
    if (st.size > limits.maxBytes) throw new DataFileError(`${file}: ${st.size} bytes is over the ${limits.maxBytes}-byte limit for a data file`);
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new DataFileError(`${file}: cannot read the data file (${code})`);
    throw err;
  }
  try {
    const buf = Buffer.alloc(CHUNK);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lineNo = 1;
    let total = 0;
    const decode = (bytes: Buffer): string => {
      try {
        return utf8.decode(bytes).replace(/\r$/, '');
      } catch {
        throw new DataFileError(`${file}:${lineNo}: not valid UTF-8`);
      }
    };
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      total += n;
      // The file may grow while it is read; the limit holds for what is read.
      if (total > limits.maxBytes) throw new DataFileError(`${file}: more than ${limits.maxBytes} bytes, over the ${limits.maxBytes}-byte limit for a data file`);
      let start = 0;
      for (let nl = n === 0 ? -1 : buf.indexOf(10, 0); nl !== -1 && nl < n; nl = buf.indexOf(10, start)) {
        if (pendingBytes + nl - start > limits.maxLineBytes) throw new DataFileError(`${file}:${lineNo}: a line longer than ${limits.maxLineBytes} bytes`);
        const bytes = pending.length ? Buffer.concat([...pending, buf.subarray(start, nl)]) : buf.subarray(start, nl);
        pending = [];
        pendingBytes = 0;
        const text = decode(bytes);
        if (text.trim() !== '') yield { line: lineNo, text };
        lineNo++;
        start = nl + 1;
      }
      if (n === 0) break;
      if (start < n) {
        pendingBytes += n - start;
        if (pendingBytes > limits.maxLineBytes) throw new DataFileError(`${file}:${lineNo}: a line longer than ${limits.maxLineBytes} bytes`);
        pending.push(Buffer.from(buf.subarray(start, n)));
      }
    }
    if (pendingBytes > 0) {
      const text = decode(Buffer.concat(pending));
      if (text.trim() !== '') yield { line: lineNo, text };
    }
  } finally {
    closeSync(fd);
  }
}

/** JSON.parse with an error that gives the column, not V8's message (which quotes the input). */
export function parseJsonLine(text: string, source: { file: string; line: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // One line: "at line 1, column C" is just the column.
    throw new ExampleError(source, notValidJson(err, text).replace(/ at line 1, column/, ' at column'));
  }
}

/**
 * The examples of a data file, truncated to `maxSeqLen` tokens. With `vocabSize`,
 * every token id must be inside the model's vocabulary (else an embedding lookup
 * fails far from the line that caused it). Some label after position 0 must be
 * learned somewhere in the file: the loss predicts token k from the tokens before
 * it, so a file whose labels are all -100 would "train" on nothing with loss 0.
 */
export function readExamples(file: string, tokenizer: HfTokenizer | null, maxSeqLen?: number, vocabSize?: number): Example[] {
  const examples: Example[] = [];
  let learnable = false;
  let learnableBeforeTruncation = false;
  for (const { line, text } of dataLines(file)) {
    const source = { file, line };
    const ex = encodeExample(tokenizer, parseJsonLine(text, source), source);
    if (vocabSize !== undefined) {
      const bad = ex.inputIds.findIndex((id) => id >= vocabSize);
      if (bad >= 0) throw new ExampleError(source, `"input_ids"[${bad}] is ${ex.inputIds[bad]}, outside the model's vocabulary (vocab_size ${vocabSize})`);
    }
    const kept = maxSeqLen === undefined ? ex : { inputIds: ex.inputIds.slice(0, maxSeqLen), labels: ex.labels.slice(0, maxSeqLen) };
    learnableBeforeTruncation ||= ex.labels.some((l, k) => k > 0 && l !== IGNORE_INDEX);
    learnable ||= kept.labels.some((l, k) => k > 0 && l !== IGNORE_INDEX);
    examples.push(kept);
  }
  if (examples.length === 0) throw new DataFileError(`${file}: no examples (the file is empty)`);
  if (!learnable) {
    const truncated = learnableBeforeTruncation ? ` after truncation to ${maxSeqLen} tokens (data.max_seq_len or the model's context)` : '';
    throw new DataFileError(
      `${file}: no example has a token to learn: every label is ${IGNORE_INDEX}${truncated}, so the loss would be 0 with nothing trained; ` +
        'check "labels", the prompt/output split, or the sequence length',
    );
  }
  return examples;
}

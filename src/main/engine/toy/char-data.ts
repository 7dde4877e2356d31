// Character vocabulary and (context → next character) examples for the toy
// char-MLP. Pure arrays, no tensors: built once, sampled every step.

/** Id 0 marks a line boundary: it pads the context before the first character and is the target after the last. */
export const BOUNDARY = 0;

export interface CharExamples {
  /** vocab[id] is the character for id; vocab[0] is '' (the boundary). */
  vocab: string[];
  context: number;
  count: number;
  /** count × context ids, row-major. */
  contexts: Int32Array;
  targets: Int32Array;
}

export function buildExamples(texts: string[], context: number): CharExamples {
  const lines = texts.filter((t) => t.length > 0);
  if (lines.length === 0) throw new Error('trainCharMlp: texts must contain at least one non-empty line');
  // Sorted so the same texts always give the same ids, whatever their order.
  const chars = [...new Set(lines.flatMap((t) => [...t]))].sort();
  const vocab = ['', ...chars];
  const id = new Map(chars.map((c, i) => [c, i + 1]));

  const count = lines.reduce((n, t) => n + [...t].length + 1, 0);
  const contexts = new Int32Array(count * context);
  const targets = new Int32Array(count);
  let row = 0;
  for (const line of lines) {
    const padded = [...Array<number>(context).fill(BOUNDARY), ...[...line].map((c) => id.get(c)!), BOUNDARY];
    for (let i = context; i < padded.length; i++, row++) {
      for (let j = 0; j < context; j++) contexts[row * context + j] = padded[i - context + j]!;
      targets[row] = padded[i]!;
    }
  }
  return { vocab, context, count, contexts, targets };
}

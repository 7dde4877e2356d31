// One JSON Lines data row → training ids, for every row shape docs/ARCHITECTURE.md
// accepts. This is what the trainer's data loader calls. Labels line up with
// inputIds (the loss shifts them by one); IGNORE_INDEX marks a position that is
// not learned. Every bad row is an ExampleError naming its file and line.
//
//   {"text"}                        ids with the tokenizer's specials; all learned
//   {"instruction","input"?,"output"} Alpaca prompt (alpaca.ts) masked, output + eos learned
//   {"messages":[{role,content}]}   chat template; only assistant turns learned (spans.ts)
//   {"input_ids","labels"?}         used exactly as given; labels default to input_ids
import { alpacaPrompt } from './alpaca';
import type { ChatMessage } from './chat-template';
import { ExampleError, TokenizerError, type ExampleSource } from './errors';
import type { HfTokenizer } from './hf-tokenizer';
import { renderChat, tokensBefore } from './spans';
import { IGNORE_INDEX } from '../../models/loss';

/** transformers' ignore_index: a label the loss skips (defined with the loss). */
export { IGNORE_INDEX };

export interface Example {
  inputIds: number[];
  labels: number[];
}

const SHAPES = {
  input_ids: 'pre-tokenized {"input_ids", "labels"?}',
  messages: '{"messages": [{"role", "content"}]}',
  instruction: '{"instruction", "input"?, "output"}',
  text: '{"text"}',
} as const;
type Shape = keyof typeof SHAPES;
const ACCEPTED = Object.values(SHAPES).join(', ');

export function encodeExample(tokenizer: HfTokenizer | null, row: unknown, source: ExampleSource): Example {
  const fail = (what: string): never => {
    throw new ExampleError(source, what);
  };
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    return fail(`expected a JSON object (${ACCEPTED}), got ${describe(row)}`);
  }
  const r = row as Record<string, unknown>;
  const shapes = (Object.keys(SHAPES) as Shape[]).filter((k) => k in r);
  if (shapes.length === 0) return fail(`expected one of ${ACCEPTED}; the row has keys ${keysOf(r)}`);
  if (shapes.length > 1) return fail(`the row mixes row shapes (keys ${shapes.join(', ')}); expected exactly one of ${ACCEPTED}`);
  const shape = shapes[0]!;
  if ('labels' in r && shape !== 'input_ids') return fail('"labels" is only accepted with "input_ids"');

  if (shape === 'input_ids') return preTokenized(r, fail);
  if (!tokenizer) {
    throw new ExampleError(
      source,
      `a ${SHAPES[shape]} row needs a tokenizer, and the model folder has no tokenizer.json; ` +
        'add the model\'s tokenizer.json (and tokenizer_config.json) or use pre-tokenized {"input_ids"} rows',
      'TOKENIZER_REQUIRED',
    );
  }
  try {
    switch (shape) {
      case 'text': {
        if (typeof r.text !== 'string' || r.text === '') return fail(`"text" must be a non-empty string, got ${describe(r.text)}`);
        const ids = tokenizer.encode(r.text);
        return { inputIds: ids, labels: [...ids] };
      }
      case 'instruction':
        return instruction(tokenizer, r, fail);
      case 'messages':
        return chat(tokenizer, r, fail);
    }
  } catch (err) {
    // A chat template that is missing or raises is a problem of this row's
    // shape (or its content, for raise_exception): say which row.
    if (err instanceof TokenizerError) throw new ExampleError(source, err.message);
    throw err;
  }
}

type Fail = (what: string) => never;

function preTokenized(r: Record<string, unknown>, fail: Fail): Example {
  const inputIds = r.input_ids;
  if (!Array.isArray(inputIds) || inputIds.length === 0) return fail(`"input_ids" must be a non-empty list of token ids, got ${describe(inputIds)}`);
  const badId = inputIds.findIndex((id) => !Number.isSafeInteger(id) || (id as number) < 0);
  if (badId >= 0) return fail(`"input_ids"[${badId}] must be a non-negative integer, got ${describe(inputIds[badId])}`);
  if (r.labels === undefined) return { inputIds: inputIds as number[], labels: [...(inputIds as number[])] };
  const labels = r.labels;
  if (!Array.isArray(labels)) return fail(`"labels" must be a list, got ${describe(labels)}`);
  if (labels.length !== inputIds.length) return fail(`"labels" has ${labels.length} entries but "input_ids" has ${inputIds.length}; they must be the same length`);
  const badLabel = labels.findIndex((l) => !Number.isSafeInteger(l) || ((l as number) < 0 && l !== IGNORE_INDEX));
  if (badLabel >= 0) return fail(`"labels"[${badLabel}] must be a non-negative integer or ${IGNORE_INDEX}, got ${describe(labels[badLabel])}`);
  return { inputIds: inputIds as number[], labels: labels as number[] };
}

function instruction(tokenizer: HfTokenizer, r: Record<string, unknown>, fail: Fail): Example {
  if (typeof r.instruction !== 'string' || r.instruction === '') return fail(`"instruction" must be a non-empty string, got ${describe(r.instruction)}`);
  if (r.input !== undefined && r.input !== null && typeof r.input !== 'string') return fail(`"input" must be a string when present, got ${describe(r.input)}`);
  if (typeof r.output !== 'string') return fail(`"output" must be a string, got ${describe(r.output)}`);
  const prompt = alpacaPrompt(r.instruction, (r.input as string | null | undefined) ?? null);
  // Encoded as one text so the ids are what the model sees at inference; the
  // prompt's share is found by prefix (spans.ts), which also copes with a
  // post-processor that appends eos to the prompt alone.
  const ids = tokenizer.encode(prompt + r.output);
  const promptTokens = tokensBefore(tokenizer, prompt, ids, true);
  if (tokenizer.eosId !== null && ids.at(-1) !== tokenizer.eosId) ids.push(tokenizer.eosId);
  const labels = ids.map((id, i) => (i < promptTokens ? IGNORE_INDEX : id));
  if (labels.every((l) => l === IGNORE_INDEX)) return fail('"output" is empty and the tokenizer has no eos token, so there is nothing to learn');
  return { inputIds: ids, labels };
}

function chat(tokenizer: HfTokenizer, r: Record<string, unknown>, fail: Fail): Example {
  const messages = r.messages;
  if (!Array.isArray(messages) || messages.length === 0) return fail(`"messages" must be a non-empty list of {"role", "content"}, got ${describe(messages)}`);
  for (const [i, m] of messages.entries()) {
    const msg = m as Partial<ChatMessage> | null;
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return fail(`"messages"[${i}] must be an object {"role", "content"}, got ${describe(m)}`);
    if (typeof msg.role !== 'string' || msg.role === '') return fail(`"messages"[${i}].role must be a non-empty string, got ${describe(msg.role)}`);
    if (typeof msg.content !== 'string') return fail(`"messages"[${i}].content must be a string, got ${describe(msg.content)}`);
  }
  const typed = messages as ChatMessage[];
  if (!typed.some((m) => m.role === 'assistant')) return fail('"messages" has no "assistant" message, so there is nothing to learn');
  const rendered = renderChat(tokenizer, typed);
  if ('missing' in rendered) {
    return fail(`cannot find "messages"[${rendered.missing}] (assistant) in the conversation rendered by the chat template`);
  }
  const labels = rendered.ids.map(() => IGNORE_INDEX);
  for (const [start, end] of rendered.spans) for (let i = start; i < end; i++) labels[i] = rendered.ids[i]!;
  if (labels.every((l) => l === IGNORE_INDEX)) return fail('the assistant messages render to no tokens, so there is nothing to learn');
  return { inputIds: rendered.ids, labels };
}

/**
 * What a wrong value is, for an error: its type and size, never a string's text
 * (a data file's contents may be private and errors reach windows and sockets).
 * Numbers, booleans and null are shown; lists and objects by their shape.
 */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return value === '' ? '""' : `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number') && value.length <= 8) return JSON.stringify(value);
    return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (value !== null && typeof value === 'object') return `an object with keys ${keysOf(value as Record<string, unknown>)}`;
  return String(value);
}

function keysOf(r: Record<string, unknown>): string {
  const keys = Object.keys(r);
  return keys.length === 0 ? '(none)' : keys.map((k) => JSON.stringify(k)).join(', ');
}

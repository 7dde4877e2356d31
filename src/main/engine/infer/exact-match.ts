// Exact-match accuracy on held-out chat rows: each row's conversation up to its
// last (assistant) turn is the prompt, rendered with the chat template and its
// generation prompt as in training; the model answers greedily with the KV
// cache (generate.ts), and the answer counts when, trimmed, it is the row's
// assistant turn exactly. A number a person can check ("39 of 50 held-out
// prompts answered exactly"), where an eval loss only says "lower".
import { dataLines } from '../data/jsonl';
import type { HfTokenizer } from '../io/tokenizer/index';
import type { DecoderModel } from '../models/decoder/decoder';
import { generate } from './generate';

export interface ExactMatchSample {
  prompt: string;
  expected: string;
  answer: string;
  correct: boolean;
}

export interface ExactMatchResult {
  correct: number;
  total: number;
  /** correct / total. */
  accuracy: number;
  /** Every prompt with its answer, in file order. */
  samples: ExactMatchSample[];
}

export interface ExactMatchOptions {
  /** The first this many rows of the file (all when larger). */
  limit: number;
  maxNewTokens: number;
  onProgress?: (done: number, total: number) => void;
  yieldToEventLoop?: () => Promise<void>;
  shouldStop?: () => boolean;
}

interface Message {
  role: string;
  content: string;
}

/** The first `limit` rows of a {"messages": [..., {"role": "assistant", ...}]} file: the turns before the last, and the last one's text. */
export function readChatRows(file: string, limit: number): { messages: Message[]; expected: string }[] {
  const rows: { messages: Message[]; expected: string }[] = [];
  for (const { line, text } of dataLines(file)) {
    if (rows.length >= limit) break;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${file}:${line}: not valid JSON`);
    }
    const messages = (parsed as { messages?: unknown }).messages;
    const ok = (m: unknown): m is Message => typeof m === 'object' && m !== null && typeof (m as Message).role === 'string' && typeof (m as Message).content === 'string';
    if (!Array.isArray(messages) || messages.length < 2 || !messages.every(ok) || messages.at(-1)!.role !== 'assistant') {
      throw new Error(`${file}:${line}: exact match needs a chat row {"messages": [...]} whose last turn is the assistant's answer`);
    }
    rows.push({ messages: messages.slice(0, -1), expected: messages.at(-1)!.content.trim() });
  }
  if (rows.length === 0) throw new Error(`${file}: no rows to answer`);
  return rows;
}

export async function exactMatch(model: DecoderModel, tok: HfTokenizer, file: string, options: ExactMatchOptions): Promise<ExactMatchResult> {
  if (tok.chatTemplate === null) throw new Error('exact match on chat rows needs a tokenizer with a chat template');
  const rows = readChatRows(file, options.limit);
  const samples: ExactMatchSample[] = [];
  for (const [i, row] of rows.entries()) {
    if (options.shouldStop?.()) throw new Error('the exact-match evaluation was cancelled');
    const rendered = tok.applyChatTemplate(row.messages, { addGenerationPrompt: true });
    // The template writes the special tokens itself (as encodePrompt does in chat mode).
    const ids = await generate(model, tok.encode(rendered, { addSpecialTokens: false }), {
      maxNewTokens: options.maxNewTokens,
      temperature: 0,
      topP: 1,
      seed: 0,
      stopIds: tok.stopIds,
      yieldToEventLoop: options.yieldToEventLoop,
    });
    const answer = tok.decode(ids, { skipSpecialTokens: true }).trim();
    samples.push({ prompt: row.messages.at(-1)!.content, expected: row.expected, answer, correct: answer === row.expected });
    options.onProgress?.(i + 1, rows.length);
  }
  const correct = samples.filter((s) => s.correct).length;
  return { correct, total: samples.length, accuracy: correct / samples.length, samples };
}

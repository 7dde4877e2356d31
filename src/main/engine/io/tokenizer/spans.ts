// Finding which tokens of a rendered text belong to the part that is learned
// (an Alpaca response, an assistant turn), without token offsets from the
// tokenizer: encode the text up to a character boundary and see how many of
// its tokens agree with the full encoding. Tokens before that count lie wholly
// before the boundary; a token that straddles it (a merge across the
// boundary) counts as after. Limits: a template whose earlier turns render
// differently once later turns exist cannot use the prefix method, and then
// the assistant content is searched for in the rendered text instead.
import type { ChatMessage } from './chat-template';
import type { HfTokenizer } from './hf-tokenizer';

/** How many leading tokens of fullIds encode text that lies within `prefixText`. */
export function tokensBefore(tokenizer: HfTokenizer, prefixText: string, fullIds: readonly number[], addSpecialTokens: boolean): number {
  const ids = tokenizer.encode(prefixText, { addSpecialTokens });
  let n = 0;
  while (n < ids.length && n < fullIds.length && ids[n] === fullIds[n]) n++;
  return n;
}

/** A conversation rendered with its chat template and the token ranges [start, end) of its assistant turns. */
export interface RenderedChat {
  ids: number[];
  spans: Array<[number, number]>;
}

/**
 * Renders `messages` and locates each assistant turn in two steps.
 * 1. Prefix method: the conversation up to the turn, rendered with
 *    add_generation_prompt=true, ends where the assistant's content starts;
 *    rendered up to and including the turn, it ends after the turn's closing
 *    tokens (eos, <|im_end|>, …), which are learned too, so the model learns
 *    to stop. Both must be prefixes of the whole rendering.
 * 2. Fallback, for templates that render earlier turns differently once later
 *    ones exist (or fail on a partial conversation): the content itself
 *    (as is, then trimmed) is searched for after the previous turn, plus an
 *    eos token string right after it.
 * A turn neither method finds is returned as { missing: its message index }.
 */
export function renderChat(tokenizer: HfTokenizer, messages: readonly ChatMessage[]): RenderedChat | { missing: number } {
  const full = tokenizer.applyChatTemplate(messages, { addGenerationPrompt: false });
  const ids = tokenizer.encode(full, { addSpecialTokens: false });
  const spans: Array<[number, number]> = [];
  let searchFrom = 0;
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'assistant') continue;
    const chars = byPrefix(tokenizer, messages, i, full, searchFrom) ?? byContent(tokenizer, message.content, full, searchFrom);
    if (!chars) return { missing: i };
    const [startChar, endChar] = chars;
    searchFrom = endChar;
    // The template writes its own specials (bos_token …), so nothing is added:
    // transformers encodes a rendered chat with add_special_tokens=False too.
    const start = tokensBefore(tokenizer, full.slice(0, startChar), ids, false);
    const end = endChar === full.length ? ids.length : tokensBefore(tokenizer, full.slice(0, endChar), ids, false);
    if (end > start) spans.push([start, end]);
  }
  return { ids, spans };
}

function byPrefix(tokenizer: HfTokenizer, messages: readonly ChatMessage[], i: number, full: string, from: number): [number, number] | null {
  let before: string;
  let through: string;
  try {
    before = tokenizer.applyChatTemplate(messages.slice(0, i), { addGenerationPrompt: true });
    through = tokenizer.applyChatTemplate(messages.slice(0, i + 1), { addGenerationPrompt: false });
  } catch {
    return null;
  }
  const ok = before.length >= from && through.length > before.length && full.startsWith(before) && full.startsWith(through);
  return ok ? [before.length, through.length] : null;
}

function byContent(tokenizer: HfTokenizer, content: string, full: string, from: number): [number, number] | null {
  for (const needle of [content, content.trim()]) {
    if (needle === '') continue;
    const at = full.indexOf(needle, from);
    if (at < 0) continue;
    let end = at + needle.length;
    const eos = tokenizer.eosToken;
    if (eos) {
      const gap = full.slice(end).match(/^\s*/)![0].length;
      if (full.startsWith(eos, end + gap)) end += gap + eos.length;
    }
    return [at, end];
  }
  return null;
}

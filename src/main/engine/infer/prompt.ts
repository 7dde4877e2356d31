// A prompt as the model should see it. Chat-tuned weights (and the adapters LoRA
// Lab trains on {"messages"} data) learned their turns inside the model's chat
// template: given the bare text they see no user turn and no assistant header, so
// the likeliest next token is often end-of-sequence and the answer is empty. Chat
// mode renders one user turn with the template's generation prompt, exactly as
// training encoded it (transformers' apply_chat_template(add_generation_prompt=True));
// raw mode encodes the text as it is, with the tokenizer's own special tokens.
import type { HfTokenizer } from '../io/tokenizer/index';

export interface EncodedPrompt {
  ids: number[];
  /** The text the model is given (the rendered template in chat mode). */
  rendered: string;
  /** False in raw mode, and in chat mode for a model folder without a chat template (a base model). */
  chatTemplate: boolean;
}

export function encodePrompt(tok: HfTokenizer, prompt: string, chat: boolean): EncodedPrompt {
  if (!chat || tok.chatTemplate === null) return { ids: tok.encode(prompt), rendered: prompt, chatTemplate: false };
  const rendered = tok.applyChatTemplate([{ role: 'user', content: prompt }], { addGenerationPrompt: true });
  // The template writes the special tokens (bos, turn markers) itself.
  return { ids: tok.encode(rendered, { addSpecialTokens: false }), rendered, chatTemplate: true };
}

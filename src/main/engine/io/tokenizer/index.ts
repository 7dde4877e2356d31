// The tokenizer module's public entry: Hugging Face tokenizers and chat
// templates for model folders, and data rows → training ids.
export { loadTokenizer } from './load';
export { createTokenizer, HfTokenizer, type DecodeOptions, type EncodeOptions, type TokenizerFiles } from './hf-tokenizer';
export type { ChatMessage, ChatTemplateOptions } from './chat-template';
export type { StreamDecoder } from './stream-decoder';
export { encodeExample, IGNORE_INDEX, type Example } from './examples';
export { alpacaPrompt } from './alpaca';
export { ExampleError, TokenizerError, type ExampleErrorCode, type ExampleSource, type TokenizerErrorCode } from './errors';

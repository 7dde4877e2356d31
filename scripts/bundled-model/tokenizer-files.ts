// What the bundled base model's tokenizer is: its special tokens and their
// ids, vocabulary size, context length and chat template, and the three files
// (tokenizer.json, tokenizer_config.json, special_tokens_map.json) trained
// from the Brown train split and the number sentences the model is pretrained
// on (so " seventy" and " thousand" are single tokens, as in a real tokenizer
// trained on enough text). Shared by train-tokenizer.ts, which writes the
// files, and test/integration/bundled-tokenizer.test.ts, which retrains and
// compares them byte for byte.
//
// Id layout (4,096 tokens):
//   0 <|bos|>   1 <|eos|>   2 <|pad|>   3 <|im_start|>   4 <|im_end|>
//   5 … 260     the 256 bytes: byte b is id 5 + b (written as GPT-2's byte characters)
//   261 … 4095  merged tokens, in merge order
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainBpe, tokenizerJson } from './bpe';
import { templateSentences } from './number-corpus';

export const ROOT = join(__dirname, '..', '..');
export const MODEL_DIR = join(ROOT, 'resources', 'models', 'lab-tiny-llama');
export const CORPUS_TRAIN = join(ROOT, 'resources', 'data', 'brown', 'train.jsonl');
export const CORPUS_EVAL = join(ROOT, 'resources', 'data', 'brown', 'eval.jsonl');

export const BOS = '<|bos|>';
export const EOS = '<|eos|>';
export const PAD = '<|pad|>';
export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';
/** In id order: BOS is 0, EOS 1, PAD 2, IM_START 3, IM_END 4. */
export const SPECIAL_TOKENS = [BOS, EOS, PAD, IM_START, IM_END] as const;
export const VOCAB_SIZE = 4096;
/** The longest sequence the bundled model is trained for; config.json's max_position_embeddings must be at least this. */
export const MODEL_MAX_LENGTH = 512;

/**
 * ChatML. The template writes bos itself (a rendered chat is encoded without
 * adding specials, as transformers does), so a chat starts like every
 * pretraining row. A turn ends with <|im_end|>, which generation should treat
 * as a stop token beside <|eos|>.
 */
export const CHAT_TEMPLATE =
  '{{ bos_token }}' +
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The {"text"} rows of a JSON Lines corpus file. */
export function readTextRows(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

export type TokenizerFileName = 'tokenizer.json' | 'tokenizer_config.json' | 'special_tokens_map.json';

/** What the tokenizer is trained on: the Brown train split, then the template number sentences. */
export function tokenizerTrainingTexts(): string[] {
  return [...readTextRows(CORPUS_TRAIN), ...templateSentences()];
}

/** Trains the tokenizer on `texts` and returns each file's contents. */
export function buildTokenizerFiles(texts: readonly string[]): Record<TokenizerFileName, string> {
  const model = trainBpe(texts, { vocabSize: VOCAB_SIZE, specialTokens: SPECIAL_TOKENS });
  if (model.vocab.length !== VOCAB_SIZE) throw new Error(`training stopped at ${model.vocab.length} tokens, short of ${VOCAB_SIZE}: the corpus is too small`);
  const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
  const specials = {
    bos_token: BOS,
    eos_token: EOS,
    pad_token: PAD,
    additional_special_tokens: [IM_START, IM_END],
  };
  return {
    'tokenizer.json': tokenizerJson(model, { bosToken: BOS }),
    'tokenizer_config.json': json({
      // transformers' Llama tokenizers rebuild their post-processor from these;
      // they agree with tokenizer.json's (bos, no eos).
      add_bos_token: true,
      add_eos_token: false,
      added_tokens_decoder: Object.fromEntries(
        SPECIAL_TOKENS.map((content, id) => [String(id), { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true }]),
      ),
      ...specials,
      chat_template: CHAT_TEMPLATE,
      clean_up_tokenization_spaces: false,
      model_max_length: MODEL_MAX_LENGTH,
      tokenizer_class: 'PreTrainedTokenizerFast',
    }),
    'special_tokens_map.json': json(specials),
  };
}

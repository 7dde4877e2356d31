// Writes the tiny tokenizer fixtures the tests load, in the genuine Hugging Face
// tokenizers JSON format (the layout `tokenizers` itself saves):
//   gpt2-tiny/   byte-level BPE like GPT-2/Qwen2: all 256 byte tokens in GPT-2's
//                id order, a few merges, ChatML specials and template, no bos,
//                eos <|im_end|>, a generation_config.json with two stop ids
//   llama-tiny/  SentencePiece BPE like Llama 2: <unk> <s> </s>, 256 <0xNN>
//                byte-fallback tokens, ▁-prefixed merges, Prepend/Replace
//                normalizer, a TemplateProcessing post-processor adding <s>,
//                and the Llama 2 chat template (raise_exception on alternation)
// The expected ids in the tests are worked out by hand from the tables here.
// Run: node --import tsx src/main/engine/io/tokenizer/testdata/make-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;

// 1. GPT-2's byte → printable-character table: bytes that are printable
// Latin-1 stand for themselves and come first (ids 0..187); the other 68
// bytes map to U+0100.. in byte order (ids 188..255). So 'a' = 64, ' ' = 'Ġ' = 220.
function byteTable(): { char: string[]; id: number[] } {
  const printable: number[] = [];
  for (let b = 0; b < 256; b++) if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) printable.push(b);
  const order = [...printable];
  const char: string[] = [];
  for (const b of printable) char[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (char[b] === undefined) {
      char[b] = String.fromCodePoint(256 + n++);
      order.push(b);
    }
  }
  const id: number[] = [];
  order.forEach((b, i) => (id[b] = i));
  return { char, id };
}

function addedToken(id: number, content: string, special = true): Json {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special };
}

/** Vocab = base symbols, then each merge's result in merge order. */
function bpeVocab(base: string[], merges: Array<[string, string]>): Record<string, number> {
  const vocab: Record<string, number> = {};
  base.forEach((s, i) => (vocab[s] = i));
  for (const [a, b] of merges) {
    if (vocab[a] === undefined || vocab[b] === undefined) throw new Error(`merge ${a} ${b} uses a symbol not in the vocab`);
    vocab[a + b] ??= Object.keys(vocab).length;
  }
  return vocab;
}

function gpt2Tiny(): Record<string, Json> {
  const { char, id } = byteTable();
  const base: string[] = [];
  for (let b = 0; b < 256; b++) base[id[b]!] = char[b]!;
  const bl = (bytes: number[]): string => bytes.map((b) => char[b]).join('');
  const t = (s: string): string => bl([...Buffer.from(s, 'utf8')]);
  // ids 256.. : Ġt Ġthe's parts, hello, Ġworld, é (C3 A9), 中 (E4 B8 AD)
  const merges: Array<[string, string]> = [
    [t(' '), t('t')], // 256 Ġt
    [t('h'), t('e')], // 257 he
    [t(' t'), t('he')], // 258 Ġthe
    [t('l'), t('l')], // 259 ll
    [t('he'), t('ll')], // 260 hell
    [t('hell'), t('o')], // 261 hello
    [t(' '), t('w')], // 262 Ġw
    [t('o'), t('r')], // 263 or
    [t(' w'), t('or')], // 264 Ġwor
    [t(' wor'), t('l')], // 265 Ġworl
    [t(' worl'), t('d')], // 266 Ġworld
    [bl([0xc3]), bl([0xa9])], // 267 é
    [bl([0xe4]), bl([0xb8])], // 268 ä¸
    [bl([0xe4, 0xb8]), bl([0xad])], // 269 中
  ];
  const vocab = bpeVocab(base, merges);
  const n = Object.keys(vocab).length;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [addedToken(n, '<|endoftext|>'), addedToken(n + 1, '<|im_start|>'), addedToken(n + 2, '<|im_end|>')],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
  // Qwen2-Instruct's template: a default system turn, ChatML turns.
  const chatTemplate =
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
    "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  return {
    'gpt2-tiny/tokenizer.json': tokenizer,
    'gpt2-tiny/tokenizer_config.json': {
      add_prefix_space: false,
      bos_token: null,
      eos_token: '<|im_end|>',
      pad_token: '<|endoftext|>',
      unk_token: null,
      additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
      clean_up_tokenization_spaces: false,
      model_max_length: 1024,
      tokenizer_class: 'Qwen2Tokenizer',
      chat_template: chatTemplate,
    },
    'gpt2-tiny/generation_config.json': { eos_token_id: [n + 2, n], pad_token_id: n },
  };
}

function llamaTiny(): Record<string, Json> {
  const hex = (b: number): string => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
  const letters = [...'abcdefghijklmnopqrstuvwxyz'];
  // ids: 0 <unk>, 1 <s>, 2 </s>, 3..258 <0x00>..<0xFF>, 259 ▁, 260..285 a..z, 286 中
  const base = ['<unk>', '<s>', '</s>', ...Array.from({ length: 256 }, (_, b) => hex(b)), '▁', ...letters, '中'];
  const merges: Array<[string, string]> = [
    ['▁', 'h'], // 287 ▁h
    ['l', 'l'], // 288 ll
    ['e', 'll'], // 289 ell
    ['▁h', 'ell'], // 290 ▁hell
    ['▁hell', 'o'], // 291 ▁hello
    ['▁', 'w'], // 292 ▁w
    ['o', 'r'], // 293 or
    ['▁w', 'or'], // 294 ▁wor
    ['▁wor', 'l'], // 295 ▁worl
    ['▁worl', 'd'], // 296 ▁world
  ];
  const vocab = bpeVocab(base, merges);
  const special = (tokenId: string, typeId: number): Json => ({ SpecialToken: { id: tokenId, type_id: typeId } });
  const sequence = (seqId: string, typeId: number): Json => ({ Sequence: { id: seqId, type_id: typeId } });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [addedToken(0, '<unk>'), addedToken(1, '<s>'), addedToken(2, '</s>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('<s>', 0), sequence('A', 0)],
      pair: [special('<s>', 0), sequence('A', 0), special('<s>', 1), sequence('B', 1)],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
  // Llama-2-chat's template, verbatim.
  const chatTemplate =
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}" +
    '{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}' +
    "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
    "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}" +
    "{% else %}{% set content = message['content'] %}{% endif %}" +
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}" +
    "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
  const token = (content: string): Json => ({ __type: 'AddedToken', content, lstrip: false, normalized: false, rstrip: false, single_word: false });
  return {
    'llama-tiny/tokenizer.json': tokenizer,
    'llama-tiny/tokenizer_config.json': {
      add_bos_token: true,
      add_eos_token: false,
      bos_token: token('<s>'),
      eos_token: token('</s>'),
      unk_token: token('<unk>'),
      pad_token: null,
      clean_up_tokenization_spaces: false,
      legacy: true,
      model_max_length: 4096,
      tokenizer_class: 'LlamaTokenizer',
      chat_template: chatTemplate,
    },
    'llama-tiny/special_tokens_map.json': { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' },
  };
}

/** Every fixture file: path relative to testdata/ → its exact text. */
export function fixtureFiles(): Record<string, string> {
  const all = { ...gpt2Tiny(), ...llamaTiny() };
  return Object.fromEntries(Object.entries(all).map(([p, json]) => [p, JSON.stringify(json, null, 2) + '\n']));
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  for (const [rel, text] of Object.entries(fixtureFiles())) {
    const file = path.join(__dirname, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

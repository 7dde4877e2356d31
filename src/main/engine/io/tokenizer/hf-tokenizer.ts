// HfTokenizer: a Hugging Face tokenizer.json (run by @huggingface/tokenizers,
// pure JavaScript) together with what tokenizer_config.json,
// special_tokens_map.json and generation_config.json say about special tokens
// and the chat template. createTokenizer builds one from parsed files;
// loadTokenizer (load.ts) reads them from a model folder.
import { Tokenizer } from '@huggingface/tokenizers';
import path from 'node:path';
import {
  ChatTemplate,
  pickChatTemplate,
  type ChatMessage,
  type ChatTemplateOptions,
  type ChatTemplateSource,
  type TemplateTokens,
} from './chat-template';
import { errorMessage, TokenizerError } from './errors';
import { generationIds, resolveSpecialTokens, type JsonFile, type SpecialTokens } from './special-tokens';
import { createStreamDecoder, type StreamDecoder } from './stream-decoder';

export interface TokenizerFiles {
  /** tokenizer.json, parsed. */
  tokenizer: JsonFile;
  config: JsonFile | null;
  specialTokensMap: JsonFile | null;
  generationConfig: JsonFile | null;
  /** chat_template.jinja, the file newer transformers write beside tokenizer_config.json. */
  chatTemplateFile: { file: string; text: string } | null;
}

export interface EncodeOptions {
  /** Add bos/eos as the post-processor and tokenizer_config say (default true). */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
}

/** Built by createTokenizer (parsed files) or loadTokenizer (a model folder). */
export class HfTokenizer {
  /** The tokenizer.json it was built from. */
  readonly file: string;
  readonly bosToken: string | null;
  readonly eosToken: string | null;
  readonly padToken: string | null;
  readonly unkToken: string | null;
  readonly bosId: number | null;
  readonly eosId: number | null;
  /** null when the model names no pad token (padding is masked, so a caller may pad with any id). */
  readonly padId: number | null;
  readonly unkId: number | null;
  /** Ids that end generation: eos plus generation_config.json's eos_token_id (one or a list). */
  readonly stopIds: readonly number[];
  /** Highest token id + 1, added tokens included (config.json's vocab_size may be larger). */
  readonly vocabSize: number;

  constructor(
    private readonly lib: Tokenizer,
    private readonly special: SpecialTokens,
    private readonly template: ChatTemplate,
    /** tokenizer.json's path, and generation_config.json's ids (used where the configs name no token). */
    meta: { file: string; generationBos: number[]; generationEos: number[] },
  ) {
    this.file = meta.file;
    this.bosToken = special.bos;
    this.eosToken = special.eos;
    this.padToken = special.pad;
    this.unkToken = special.unk;
    this.bosId = this.tokenToId(special.bos) ?? meta.generationBos[0] ?? null;
    this.eosId = this.tokenToId(special.eos) ?? meta.generationEos[0] ?? null;
    this.padId = this.tokenToId(special.pad);
    this.unkId = this.tokenToId(special.unk);
    this.stopIds = [...new Set([...(this.eosId === null ? [] : [this.eosId]), ...meta.generationEos])];
    let max = -1;
    for (const id of lib.get_vocab(true).values()) if (id > max) max = id;
    this.vocabSize = max + 1;
  }

  get chatTemplate(): string | null {
    return this.template.text;
  }

  tokenToId(token: string | null): number | null {
    return token === null ? null : (this.lib.token_to_id(token) ?? null);
  }

  idToToken(id: number): string | null {
    return this.lib.id_to_token(id) ?? null;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const add = options.addSpecialTokens ?? true;
    const ids = this.encodeRaw(text, add);
    return add ? this.applyAddFlags(text, ids) : ids;
  }

  /** Ids the tokenizer does not know (a model may generate past a padded vocabulary) decode to ''. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const known = ids.filter((id) => {
      if (!Number.isInteger(id)) throw new TypeError(`token ids must be integers, got ${id}`);
      return this.lib.id_to_token(id) !== undefined;
    });
    // The library refuses an empty list; an empty generation is simply ''.
    if (known.length === 0) return '';
    return this.lib.decode(known, { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  /** For generation: push ids one at a time, print what each returns; see stream-decoder.ts. */
  createStreamDecoder(options: DecodeOptions = {}): StreamDecoder {
    return createStreamDecoder((ids) => this.decode(ids, options));
  }

  /** Renders a conversation to text with the model's chat template (the caller encodes it without adding specials). */
  applyChatTemplate(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
    return this.template.render(messages, options);
  }

  private encodeRaw(text: string, addSpecialTokens: boolean): number[] {
    const { ids } = this.lib.encode(text, { add_special_tokens: addSpecialTokens });
    if (ids.some((id) => id === undefined)) {
      const what = `${this.file}: the tokenizer produced a token that is not in its vocabulary (is its unk_token missing from the vocab?)`;
      throw new TokenizerError(what, 'TOKENIZER_MALFORMED', this.file);
    }
    return ids;
  }

  /**
   * The post-processor in tokenizer.json decides which specials are added.
   * transformers lets tokenizer_config's add_bos_token / add_eos_token
   * override it (LlamaTokenizerFast rebuilds its post-processor from them), so
   * an explicit flag is applied on top: a missing bos/eos is added, and one the
   * post-processor added against the flag is removed.
   */
  private applyAddFlags(text: string, ids: number[]): number[] {
    const { addBos, addEos } = this.special;
    let plain: number[] | null = null;
    const plainIds = (): number[] => (plain ??= this.encodeRaw(text, false));
    const out = [...ids];
    if (this.bosId !== null && addBos !== null) {
      if (addBos && out[0] !== this.bosId) out.unshift(this.bosId);
      else if (!addBos && out[0] === this.bosId && plainIds()[0] !== this.bosId) out.shift();
    }
    if (this.eosId !== null && addEos !== null) {
      if (addEos && out[out.length - 1] !== this.eosId) out.push(this.eosId);
      else if (!addEos && out[out.length - 1] === this.eosId && plainIds().at(-1) !== this.eosId) out.pop();
    }
    return out;
  }
}

/** Builds an HfTokenizer from parsed files; a file the library cannot use is a TokenizerError naming it. */
export function createTokenizer(files: TokenizerFiles): HfTokenizer {
  const { tokenizer, config } = files;
  checkTokenizerJson(tokenizer);
  const special = resolveSpecialTokens(config, files.specialTokensMap);
  const source = chatTemplateSource(files);

  let lib: Tokenizer;
  try {
    // tokenizers always writes these keys; the library insists on them, so a
    // hand-written file that leaves one out gets the meaning of null.
    const json = { added_tokens: [], normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, ...tokenizer.json };
    lib = new Tokenizer(json, libraryConfig(config?.json ?? {}, special));
  } catch (err) {
    throw new TokenizerError(`${tokenizer.file}: cannot be used as a tokenizer: ${errorMessage(err)}`, 'TOKENIZER_MALFORMED', tokenizer.file);
  }
  return new HfTokenizer(lib, special, new ChatTemplate(source, templateTokens(special)), {
    file: tokenizer.file,
    generationBos: generationIds(files.generationConfig, 'bos_token_id'),
    generationEos: generationIds(files.generationConfig, 'eos_token_id'),
  });
}

/** The shape checks the library leaves to chance (it dereferences these fields unguarded). */
function checkTokenizerJson({ file, json }: JsonFile): void {
  const bad = (what: string): never => {
    throw new TokenizerError(`${file}: ${what}`, 'TOKENIZER_MALFORMED', file);
  };
  const model = json.model as { vocab?: unknown } | undefined;
  if (typeof model !== 'object' || model === null || Array.isArray(model)) bad('expected a "model" object (a Hugging Face tokenizers file)');
  if (typeof model!.vocab !== 'object' || model!.vocab === null) bad('expected "model.vocab"');
  if (json.added_tokens !== undefined && !Array.isArray(json.added_tokens)) bad('"added_tokens" must be a list');
  for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder']) {
    const v = json[key];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) bad(`"${key}" must be an object or null`);
  }
}

/**
 * The config the library reads: special tokens as plain strings, and
 * clean_up_tokenization_spaces off unless the file turns it on — transformers'
 * default since 4.45, and the only setting under which decode(encode(s)) == s.
 */
function libraryConfig(config: Record<string, unknown>, special: SpecialTokens): Record<string, unknown> {
  return {
    ...config,
    bos_token: special.bos ?? undefined,
    eos_token: special.eos ?? undefined,
    unk_token: special.unk ?? undefined,
    pad_token: special.pad ?? undefined,
    additional_special_tokens: special.additional,
    clean_up_tokenization_spaces: config.clean_up_tokenization_spaces === true,
  };
}

/** tokenizer_config.json's chat_template wins; chat_template.jinja is the newer place for it. */
function chatTemplateSource({ tokenizer, config, chatTemplateFile }: TokenizerFiles): ChatTemplateSource {
  const configFile = config?.file ?? path.join(path.dirname(tokenizer.file), 'tokenizer_config.json');
  const picked = pickChatTemplate(config?.json.chat_template, configFile);
  if (picked.template === null && chatTemplateFile) return { template: chatTemplateFile.text, file: chatTemplateFile.file, missingReason: '' };
  return { ...picked, file: configFile, missingReason: config ? picked.missingReason : 'the file is absent' };
}

function templateTokens(special: SpecialTokens): TemplateTokens {
  const out: TemplateTokens = {};
  if (special.bos !== null) out.bos_token = special.bos;
  if (special.eos !== null) out.eos_token = special.eos;
  if (special.unk !== null) out.unk_token = special.unk;
  if (special.pad !== null) out.pad_token = special.pad;
  return out;
}

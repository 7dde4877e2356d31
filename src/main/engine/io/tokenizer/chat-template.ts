// Chat templates: picking a model's template from tokenizer_config.json (or
// chat_template.jinja) and rendering a conversation with @huggingface/jinja,
// with the variables transformers' apply_chat_template passes.
import { Template } from '@huggingface/jinja';
import { errorMessage, TokenizerError } from './errors';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatTemplateOptions {
  /** Append the header that opens an assistant turn, as for generation. */
  addGenerationPrompt?: boolean;
}

/** Where a template came from, for error messages; and why there is none, when there is none. */
export interface ChatTemplateSource {
  template: string | null;
  file: string;
  /** Set when template is null: said in the error when chat data is used. */
  missingReason: string;
}

/**
 * Reads the `chat_template` field of tokenizer_config.json: a string, or the
 * list of {name, template} that transformers writes when a model has several
 * (the one named "default" is used, as transformers does without a name).
 */
export function pickChatTemplate(field: unknown, file: string): { template: string | null; missingReason: string } {
  if (field === undefined || field === null) return { template: null, missingReason: 'no chat_template' };
  if (typeof field === 'string') return { template: field, missingReason: '' };
  if (Array.isArray(field)) {
    const names: string[] = [];
    for (const [i, entry] of field.entries()) {
      const e = entry as { name?: unknown; template?: unknown } | null;
      if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || typeof e.template !== 'string') {
        throw new TokenizerError(`${file}: chat_template[${i}] must be an object {name: string, template: string}`, 'TOKENIZER_MALFORMED', file);
      }
      if (e.name === 'default') return { template: e.template, missingReason: '' };
      names.push(e.name);
    }
    return { template: null, missingReason: `named chat templates (${names.join(', ')}) but none named "default"` };
  }
  throw new TokenizerError(
    `${file}: chat_template must be a string or a list of {name, template}, got ${typeof field}`,
    'TOKENIZER_MALFORMED',
    file,
  );
}

/** The special-token strings a template may use; absent ones are left undefined (they render as ''). */
export interface TemplateTokens {
  bos_token?: string;
  eos_token?: string;
  unk_token?: string;
  pad_token?: string;
}

/** A chat template compiled on first use, so a model whose template never parses still serves text data. */
export class ChatTemplate {
  private compiled: Template | null = null;

  constructor(
    private readonly source: ChatTemplateSource,
    private readonly tokens: TemplateTokens,
  ) {}

  get text(): string | null {
    return this.source.template;
  }

  render(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
    const template = this.compile();
    try {
      // raise_exception (and strftime_now) are globals of @huggingface/jinja
      // itself; passing our own is refused as a redeclaration, and its
      // raise_exception throws an Error with the template's message.
      return template.render({
        ...this.tokens,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        add_generation_prompt: options.addGenerationPrompt ?? false,
      });
    } catch (err) {
      throw new TokenizerError(`the chat template of ${this.source.file} failed: ${errorMessage(err)}`, 'CHAT_TEMPLATE_FAILED', this.source.file);
    }
  }

  private compile(): Template {
    if (this.compiled) return this.compiled;
    const text = this.source.template;
    if (text === null) {
      throw new TokenizerError(
        `this model has no chat_template (${this.source.file}: ${this.source.missingReason}), so {"messages": …} data cannot be rendered; ` +
          'add a chat_template to tokenizer_config.json or use {"text"}, {"instruction","input","output"} or pre-tokenized rows',
        'CHAT_TEMPLATE_MISSING',
        this.source.file,
      );
    }
    try {
      this.compiled = new Template(text);
    } catch (err) {
      throw new TokenizerError(`the chat template in ${this.source.file} does not parse: ${errorMessage(err)}`, 'CHAT_TEMPLATE_FAILED', this.source.file);
    }
    return this.compiled;
  }
}

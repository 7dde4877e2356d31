// Errors of the tokenizer module. TokenizerError is about a model folder's
// tokenizer files (or what they lack); ExampleError is about one row of a
// JSON Lines data file and names that file and line. Both carry a code so the
// engine can send them across the process boundary as data.

export type TokenizerErrorCode =
  | 'MODEL_DIR_NOT_FOUND'
  | 'TOKENIZER_MALFORMED'
  | 'CHAT_TEMPLATE_MISSING'
  | 'CHAT_TEMPLATE_FAILED';

/** A tokenizer file that cannot be used, or a chat template that is absent or fails. */
export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
  constructor(
    message: string,
    readonly code: TokenizerErrorCode,
    /** The file the problem is in, when there is one. */
    readonly file: string | null = null,
  ) {
    super(message);
  }
}

export type ExampleErrorCode = 'BAD_EXAMPLE' | 'TOKENIZER_REQUIRED';

/** Where a data row came from: the file and its 1-based line number. */
export interface ExampleSource {
  file: string;
  line: number;
}

/** A data row that cannot be turned into training ids; the message starts with `file:line:`. */
export class ExampleError extends Error {
  override readonly name = 'ExampleError';
  readonly file: string;
  readonly line: number;
  constructor(
    source: ExampleSource,
    what: string,
    readonly code: ExampleErrorCode = 'BAD_EXAMPLE',
  ) {
    super(`${source.file}:${source.line}: ${what}`);
    this.file = source.file;
    this.line = source.line;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

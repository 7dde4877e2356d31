// Errors cross process boundaries as data, never as thrown objects: every
// response is a Result, and the typed client rethrows the error side.
import type { z } from 'zod';

export type ErrorCode =
  | 'VALIDATION' // a request or event payload did not match its schema
  | 'UNKNOWN_CHANNEL'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL';

export interface ErrorData {
  name: string;
  message: string;
  code: ErrorCode;
  /** For VALIDATION: one entry per failing field, with its dotted path. */
  issues?: { path: string; message: string }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: ErrorCode, message: string, extra: Partial<ErrorData> = {}): Result<never> => ({
  ok: false,
  error: { name: 'LoraLabError', message, code, ...extra },
});

/** Thrown by services for expected failures; the router turns it into a Result. */
export class LoraLabError extends Error {
  override readonly name = 'LoraLabError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For VALIDATION: the failing fields (e.g. "config.model"). */
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** Rethrown on the client side so callers see an Error with the remote code. */
export class RemoteError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorData['issues'];
  constructor(data: ErrorData) {
    super(data.message);
    this.name = data.name;
    this.code = data.code;
    this.issues = data.issues;
  }
}

/** "payload.config.train.steps" style paths, so a message names the field. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
    .join('.')
    .replace(/\.\[/g, '[');
}

export function validationFailure(prefix: string, error: z.ZodError): Result<never> {
  const issues = error.issues.map((i) => ({ path: formatPath(prefix, i.path), message: i.message }));
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return fail('VALIDATION', message, { issues });
}

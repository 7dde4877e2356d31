import { RemoteError } from '../../shared/ipc/result';

/** A message fit to show inline. Remote messages already name the failing field. */
export function errorMessage(error: unknown): string {
  if (error instanceof RemoteError) {
    if (error.message) return error.message;
    return error.issues?.map((i) => `${i.path}: ${i.message}`).join('; ') || error.code;
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

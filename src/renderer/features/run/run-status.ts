import type { RunStatus } from '../../../shared/ipc/schemas';

/** A run that ended without completing can continue from its newest checkpoint. */
export const RESUMABLE: readonly RunStatus[] = ['stopped', 'crashed', 'failed'];

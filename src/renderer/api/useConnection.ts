import { useSyncExternalStore } from 'react';
import type { ConnectionStatus } from './connection';
import { connection } from './client';

/** The live connection status; its `generation` changes after every (re)connect. */
export function useConnection(): ConnectionStatus {
  return useSyncExternalStore(connection.subscribe, connection.get);
}

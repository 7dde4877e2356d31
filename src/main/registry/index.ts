// The registry's entry point: open a registry file and get its typed
// repositories. Other folders import only this file and api.ts.
//   const reg = openRegistry(defaultRegistryPath());
//   const run = reg.runs.create({ name, method, config });
import type { Registry } from './api';
import { openDatabase } from './db';
import { userVersion } from './migrations/index';
import { createArtifactsRepo } from './repos/artifacts';
import { createCheckpointsRepo } from './repos/checkpoints';
import { createMetricsRepo } from './repos/metrics';
import { createRanksRepo } from './repos/ranks';
import { createRunsRepo, type OwnerProbe } from './repos/runs';
import { OS_OWNER_PROBE } from './owner-probe';
import { createTagsRepo } from './repos/tags';

export type * from './api';
export { RegistryError, RegistryVersionError, type RegistryErrorCode } from './errors';
export { defaultRegistryPath } from './paths';
export { LATEST_VERSION as REGISTRY_SCHEMA_VERSION } from './migrations/index';
export { LOSS_METRIC } from './repos/runs';

export interface OpenRegistryOptions {
  /** Read without writing; refuses a database that would need migrating. */
  readonly?: boolean;
  /** How readers tell a live owner from a dead one (default: the operating system's process table). */
  ownerProbe?: OwnerProbe;
}

export type { OwnerProbe };
export { isEngineProcess, isProcessAlive } from './owner-probe';

/**
 * Opens (creating and migrating if needed) the registry at `path`. Throws a
 * RegistryVersionError for a database written by a newer LoRA Lab, without
 * touching it, and a RegistryError (REGISTRY_OPEN_FAILED) for an unreadable file.
 */
export function openRegistry(path: string, options: OpenRegistryOptions = {}): Registry {
  const db = openDatabase(path, options);
  return {
    path,
    schemaVersion: userVersion(db),
    runs: createRunsRepo(db, options.ownerProbe ?? OS_OWNER_PROBE),
    metrics: createMetricsRepo(db),
    checkpoints: createCheckpointsRepo(db),
    artifacts: createArtifactsRepo(db),
    tags: createTagsRepo(db),
    ranks: createRanksRepo(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}

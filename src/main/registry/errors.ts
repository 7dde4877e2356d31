// Typed errors of the registry. Each carries a stable `code` so it can cross a
// process boundary as data ({ name, message, code }) and be rethrown there.

export type RegistryErrorCode =
  | 'REGISTRY_OPEN_FAILED'
  | 'REGISTRY_VERSION'
  | 'REGISTRY_NOT_FOUND'
  | 'REGISTRY_INVALID_INPUT'
  | 'REGISTRY_INVALID_TRANSITION';

export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The database's schema version does not match what this build can use: either
 * it is newer (written by a later LoRA Lab; never touched) or, for a read-only
 * open, older (it needs migrating, which read-only cannot do).
 */
export class RegistryVersionError extends RegistryError {
  override name = 'RegistryVersionError';

  constructor(
    readonly path: string,
    readonly databaseVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      'REGISTRY_VERSION',
      databaseVersion > supportedVersion
        ? `registry ${path} has schema version ${databaseVersion}, but this LoRA Lab supports up to ` +
            `version ${supportedVersion}; it was written by a newer LoRA Lab. Upgrade LoRA Lab, or point ` +
            `LORALAB_REGISTRY at another file. The database was not modified.`
        : `registry ${path} has schema version ${databaseVersion}, older than this LoRA Lab's ` +
            `version ${supportedVersion}; open it read-write once to migrate it.`,
    );
  }
}

// Opens the registry's SQLite file once, with explicit pragmas, refuses a
// schema newer than this build, and migrates an older one forward.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RegistryError, RegistryVersionError } from './errors';
import { LATEST_VERSION, migrate, userVersion } from './migrations/index';

export interface OpenOptions {
  /** Open without writing: no directory creation, no migration, no journal-mode change. */
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  const readonly = options.readonly ?? false;
  let db: Database.Database;
  try {
    if (!readonly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new RegistryError('REGISTRY_OPEN_FAILED', `cannot open registry ${path}: ${messageOf(err)}`, { cause: err });
  }
  try {
    configure(db, path, readonly);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof RegistryError) throw err;
    throw new RegistryError('REGISTRY_OPEN_FAILED', `cannot open registry ${path}: ${messageOf(err)}`, { cause: err });
  }
}

function configure(db: Database.Database, path: string, readonly: boolean): void {
  // Before anything else, so that the version read below waits out a writer.
  db.pragma('busy_timeout = 5000');

  // The version check comes before journal_mode=WAL, which rewrites the file
  // header: a database from a newer LoRA Lab must be left byte for byte as it was.
  const version = userVersion(db);
  if (version > LATEST_VERSION) throw new RegistryVersionError(path, version, LATEST_VERSION);
  if (readonly && version < LATEST_VERSION) throw new RegistryVersionError(path, version, LATEST_VERSION);

  if (!readonly) {
    // WAL lets the UI read while an engine process writes metrics.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, expected wal`);
  }
  db.pragma('foreign_keys = ON');
  // NORMAL is durable against a killed process in WAL mode; only a power loss
  // can drop the last commits, never corrupt the file.
  db.pragma('synchronous = NORMAL');

  if (!readonly) {
    const after = migrate(db);
    // Another, newer process may have migrated the file between our check and our lock.
    if (after !== LATEST_VERSION) throw new RegistryVersionError(path, after, LATEST_VERSION);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

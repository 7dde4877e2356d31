// Recognises SQLite errors the repositories turn into RegistryErrors.
import Database from 'better-sqlite3';

export function isForeignKeyError(err: unknown): boolean {
  return err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

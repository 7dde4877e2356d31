// The shape of one schema migration. A migration is frozen once released: a new
// schema change is a new numbered file, never an edit to an old one.
import type Database from 'better-sqlite3';

export interface Migration {
  /** user_version after this migration; versions run 1..N without gaps. */
  readonly version: number;
  readonly name: string;
  /** Runs inside the migration's transaction; must not commit or roll back itself. */
  up(db: Database.Database): void;
}

// The ordered list of schema migrations and the runner that applies them.
// Each migration runs in its own IMMEDIATE transaction and bumps
// PRAGMA user_version, so a crash leaves the database at a whole version.
import type Database from 'better-sqlite3';
import { migration001 } from './001-initial';
import { migration002 } from './002-adapter-ranks';
import { migration003 } from './003-metrics-series-index';
import { migration004 } from './004-active-time-and-artifact-paths';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004];

/** Throws unless the versions are exactly 1..N in order. */
export function checkMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `migration list is not contiguous: position ${i + 1} holds version ${m.version} (${m.name}); ` +
          `versions must run 1..${migrations.length} in order`,
      );
    }
  });
}

checkMigrations(MIGRATIONS);

export const LATEST_VERSION = MIGRATIONS.length;

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the database's version, up to `target`.
 * Returns the resulting version. Safe against another process migrating the
 * same file at once: each step re-reads the version under the write lock.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = migrations.length,
): number {
  checkMigrations(migrations);
  for (const m of migrations) {
    if (m.version > target) break;
    db.transaction(() => {
      const current = userVersion(db);
      if (current >= m.version) return;
      m.up(db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
      // PRAGMA does not take bound parameters; the version is an integer we own.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return userVersion(db);
}

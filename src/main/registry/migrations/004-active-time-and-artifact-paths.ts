// Schema version 4: a run's active time, and one artifact row per saved folder.
//
// runs.active_ms is the time of the run's ended segments (each start or resume to
// its finish, stop or crash) and runs.segment_started_at the start of the segment
// under way (NULL while queued or ended). started_at keeps the first start and
// ended_at the last end, so ended_at - started_at of a resumed run counted the
// hours it sat stopped; the duration is now active_ms plus the open segment.
// An ended run from before this version gets ended_at - started_at, the only
// span recorded for it.
//
// A resumed run saves its adapter again into the same folder (by rename), and a
// second row for that path left the first pointing at files that are no longer
// the ones it described. Older duplicates of one (run, kind, path) are dropped,
// keeping the newest, and a unique index makes a save to a recorded path an
// update of that row (repos/artifacts.ts). The index leaves out rows without a
// run: deleting a run sets its artifacts' run_id NULL (they outlive it), which
// must not collide with another deleted run's row for the same folder.
import type { Migration } from './types';

export const migration004: Migration = {
  version: 4,
  name: 'active-time-and-artifact-paths',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN active_ms INTEGER NOT NULL DEFAULT 0 CHECK (active_ms >= 0);
      ALTER TABLE runs ADD COLUMN segment_started_at INTEGER;
      UPDATE runs SET active_ms = max(0, ended_at - started_at)
        WHERE started_at IS NOT NULL AND ended_at IS NOT NULL;
      UPDATE runs SET segment_started_at = started_at WHERE status = 'running';

      DELETE FROM artifacts WHERE id NOT IN (
        SELECT max(id) FROM artifacts GROUP BY coalesce(run_id, 0), kind, path
      );
      CREATE UNIQUE INDEX artifacts_run_kind_path ON artifacts(run_id, kind, path) WHERE run_id IS NOT NULL;
    `);
  },
};

// Schema version 3: a covering index for reading one metric of one run in step
// order, metrics_series (run_id, name, step, value, wall_time). runs.metrics reads
// each series as a range of this index alone: without it the UNIQUE (run_id, name,
// step) index finds the rows but every value is a lookup in the table, whose pages
// interleave all of a run's metrics (loss, lr, grad_norm, tokens, … one row each
// per step), so reading the loss of a run read every metric's pages; on a cold
// disk that is most of the time of a comparison. metrics_run_step (run_id, step)
// goes: nothing reads by it once the series are read by name (forRun sorts the
// few points it returns; a cascade delete finds a run's rows by either index).
import type { Migration } from './types';

export const migration003: Migration = {
  version: 3,
  name: 'metrics-series-index',
  up(db) {
    // Built before the old index is dropped, so its pages are written in key order at
    // the end of the file (a range read is then close to sequential), not into the
    // scattered pages the drop frees.
    db.exec(`
      CREATE INDEX metrics_series ON metrics(run_id, name, step, value, wall_time);
      DROP INDEX metrics_run_step;
    `);
  },
};

// Schema version 2: adapter_ranks, each adapted matrix's rank at every AdaLoRA
// masking step (the rank heatmap and `loralab runs show --json` read it).
import type { Migration } from './types';

export const migration002: Migration = {
  version: 2,
  name: 'adapter-ranks',
  up(db) {
    db.exec(`
      -- One row per (run, masking step, module). A resumed run re-records the steps
      -- after its checkpoint, replacing rows of the same key.
      CREATE TABLE adapter_ranks (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step   INTEGER NOT NULL CHECK (step >= 0),
        module TEXT NOT NULL,
        rank   INTEGER NOT NULL CHECK (rank >= 0),
        PRIMARY KEY (run_id, step, module)
      ) WITHOUT ROWID;
    `);
  },
};

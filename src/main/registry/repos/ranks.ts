// AdaLoRA's rank per adapted matrix at each masking step.
import type Database from 'better-sqlite3';
import type { RankRow, RanksRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

export function createRanksRepo(db: Database.Database): RanksRepo {
  const upsert = db.prepare<[number, number, string, number]>(
    'INSERT INTO adapter_ranks (run_id, step, module, rank) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, step, module) DO UPDATE SET rank = excluded.rank',
  );
  const forRun = db.prepare<[number], RankRow>('SELECT step, module, rank FROM adapter_ranks WHERE run_id = ? ORDER BY step, module');
  const final = db.prepare<[number, number], RankRow>(
    'SELECT step, module, rank FROM adapter_ranks WHERE run_id = ? AND step = (SELECT max(step) FROM adapter_ranks WHERE run_id = ?) ORDER BY module',
  );
  const recordAll = db.transaction((runId: number, step: number, ranks: readonly { module: string; rank: number }[]) => {
    for (const r of ranks) upsert.run(runId, step, r.module, r.rank);
  });

  return {
    record(runId, step, ranks) {
      for (const r of ranks) {
        if (typeof r.module !== 'string' || r.module === '' || !Number.isInteger(r.rank) || r.rank < 0) {
          throw new RegistryError('REGISTRY_INVALID_INPUT', `a rank row needs a module name and a rank ≥ 0, got ${JSON.stringify(r)}`);
        }
      }
      if (!Number.isInteger(step) || step < 0) throw new RegistryError('REGISTRY_INVALID_INPUT', `step must be an integer ≥ 0, got ${step}`);
      try {
        recordAll.immediate(runId, step, ranks);
      } catch (err) {
        if (isForeignKeyError(err)) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${runId} not found`, { cause: err });
        throw err;
      }
    },
    forRun: (runId) => forRun.all(runId),
    final: (runId) => final.all(runId, runId),
  };
}

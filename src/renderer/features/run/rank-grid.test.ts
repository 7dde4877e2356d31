import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankGrid } from './rank-grid';

test('ranks form a module × step grid in natural order, carried forward where unrecorded', () => {
  const m = (l: number, p: string) => `base_model.model.model.layers.${l}.self_attn.${p}`;
  const g = rankGrid([
    { step: 20, module: m(10, 'q_proj'), rank: 12 },
    { step: 10, module: m(10, 'q_proj'), rank: 12 },
    { step: 10, module: m(9, 'q_proj'), rank: 8 },
    { step: 20, module: m(9, 'q_proj'), rank: 4 },
    { step: 30, module: m(9, 'q_proj'), rank: 2 },
  ]);
  assert.deepEqual(g.steps, [10, 20, 30]);
  assert.deepEqual(g.labels, ['9.self_attn.q_proj', '10.self_attn.q_proj']);
  assert.deepEqual([...g.cells], [8, 4, 2, 12, 12, 12]);
  assert.equal(g.maxRank, 12);
});

test('a matrix that appears late has no rank before it', () => {
  const g = rankGrid([
    { step: 1, module: 'a.q', rank: 3 },
    { step: 2, module: 'a.v', rank: 5 },
  ]);
  assert.deepEqual([...g.cells], [3, 3, -1, 5]);
  assert.deepEqual(rankGrid([]).cells.length, 0);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRate, type ScheduleConfig } from './schedules';

const base: ScheduleConfig = { lr: 1e-3, schedule: 'cosine', warmupSteps: 10, totalSteps: 110 };
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);

test('warmup rises linearly from 0 over warmup steps', () => {
  close(learningRate(1, base), 0);
  close(learningRate(6, base), 5e-4);
  close(learningRate(11, base), 1e-3);
});

test('cosine reaches half at mid-decay and 0 at the end', () => {
  close(learningRate(61, base), 5e-4);
  close(learningRate(111, base), 0);
});

test('linear decays to 0, constant stays', () => {
  const lin = { ...base, schedule: 'linear' as const };
  close(learningRate(61, lin), 5e-4);
  close(learningRate(111, lin), 0);
  const c = { ...base, schedule: 'constant' as const };
  close(learningRate(100, c), 1e-3);
});

test('no warmup starts at the full rate', () => {
  close(learningRate(1, { ...base, warmupSteps: 0, schedule: 'constant' }), 1e-3);
});

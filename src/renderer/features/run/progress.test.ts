import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configuredSteps, curveSpeed, progressView, type ProgressEvent } from './progress';

const event = (step: number, over: Partial<ProgressEvent> = {}): ProgressEvent => ({
  runId: 1,
  step,
  totalSteps: 200,
  loss: 1.5,
  tokensPerSecond: 900,
  etaSeconds: 30,
  ...over,
});
const config = { train: { steps: 100 } };

test('configuredSteps reads train.steps only when it is a positive integer', () => {
  assert.equal(configuredSteps(config), 100);
  assert.equal(configuredSteps({ train: { steps: '100' } }), null);
  assert.equal(configuredSteps({ train: null }), null);
  assert.equal(configuredSteps(undefined), null);
});

test('a live event gives the whole view', () => {
  const v = progressView(event(50), { step: 49, value: 2 }, config, 'running');
  assert.deepEqual(v, { step: 50, totalSteps: 200, fraction: 0.25, loss: 1.5, tokensPerSecond: 900, etaSeconds: 30, starting: false });
});

test('a queued or running run with no step yet is starting; one that has a step, or ended, is not', () => {
  assert.equal(progressView(null, undefined, config, 'queued').starting, true);
  assert.equal(progressView(null, undefined, config, 'running').starting, true);
  assert.equal(progressView(event(1), undefined, config, 'running').starting, false);
  assert.equal(progressView(null, { step: 1, value: 2 }, config, 'running').starting, false);
  assert.equal(progressView(null, undefined, config, 'failed').starting, false);
  assert.equal(progressView(null, undefined, config, undefined).starting, false, 'the run record is not read yet');
});

test('before any event (a reload) the stored curve and config fill in', () => {
  const v = progressView(null, { step: 40, value: 2.5 }, config, 'running');
  assert.equal(v.step, 40);
  assert.equal(v.totalSteps, 100);
  assert.equal(v.fraction, 0.4);
  assert.equal(v.loss, 2.5);
  assert.equal(v.etaSeconds, null);
});

test('an event older than the stored curve does not move the bar back', () => {
  const v = progressView(event(10, { loss: 9 }), { step: 40, value: 2.5 }, config, 'running');
  assert.equal(v.step, 40);
  assert.equal(v.loss, 2.5);
});

test('finished runs show a full bar (completed) and no speed or ETA', () => {
  const done = progressView(event(199), undefined, config, 'completed');
  assert.equal(done.fraction, 1);
  assert.equal(done.tokensPerSecond, null);
  assert.equal(done.etaSeconds, null);
  const stopped = progressView(null, { step: 30, value: 1 }, config, 'stopped');
  assert.equal(stopped.fraction, 0.3);
  assert.equal(progressView(null, undefined, {}, 'queued').fraction, null);
});

test('a run trained elsewhere (no live events) gets its speed and ETA from the stored curve', () => {
  // 10 steps every 2 s at the end of the curve: 5 steps/s.
  const loss = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, wallTime: 1_000 + i * 200 }));
  const speed = curveSpeed(loss, [{ value: 1200 }], 10);
  assert.ok(Math.abs(speed.stepsPerSecond! - 5) < 1e-9);
  const v = progressView(null, { step: 30, value: 2 }, config, 'running', speed);
  assert.ok(Math.abs(v.etaSeconds! - 70 / 5) < 1e-9, String(v.etaSeconds));
  assert.equal(v.tokensPerSecond, 1200);
  assert.equal(progressView(null, { step: 30, value: 2 }, config, 'stopped', speed).etaSeconds, null);
  assert.deepEqual(curveSpeed([]), { stepsPerSecond: null, tokensPerSecond: null });
  assert.equal(curveSpeed([{ step: 1, wallTime: 5 }]).stepsPerSecond, null);
});

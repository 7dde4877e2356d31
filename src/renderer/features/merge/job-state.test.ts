import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyJobEvent, IDLE, type JobEvent, type JobView } from './job-state';

const token = (jobId: string, text: string): JobEvent => ({ name: 'onGenerateToken', payload: { jobId, text } });

test("a job takes only its own events, streams text and ends on its done event", () => {
  let v: JobView = { ...IDLE, jobId: 'job-a', phase: 'running' };
  v = applyJobEvent(v, { name: 'onJobProgress', payload: { jobId: 'job-a', kind: 'generate', fraction: null, message: 'loading the model' } });
  assert.equal(v.message, 'loading the model');
  v = applyJobEvent(v, token('job-a', 'Hel'));
  v = applyJobEvent(v, token('job-b', 'other job'));
  v = applyJobEvent(v, token('job-a', 'lo'));
  assert.equal(v.text, 'Hello');
  const result = { text: 'Hello!', renderedPrompt: 'p', chatTemplate: true, tokens: 3, promptTokens: 1, seconds: 0.1, stop: 'eos' as const };
  v = applyJobEvent(v, { name: 'onJobDone', payload: { jobId: 'job-a', kind: 'generate', ok: true, result, error: null } });
  assert.equal(v.phase, 'done');
  assert.equal(v.text, 'Hello!');
  assert.equal(applyJobEvent(v, token('job-a', 'late')).text, 'Hello!');
});

test('a failed job keeps its error', () => {
  const v = applyJobEvent(
    { ...IDLE, jobId: 'job-a', phase: 'running' },
    { name: 'onJobDone', payload: { jobId: 'job-a', kind: 'merge', ok: false, result: null, error: 'out exists' } },
  );
  assert.equal(v.phase, 'failed');
  assert.equal(v.error, 'out exists');
});

test('events before the job id is known are ignored (useJob replays them once it is)', () => {
  assert.equal(applyJobEvent({ ...IDLE, phase: 'starting' }, token('job-a', 'x')).text, '');
});

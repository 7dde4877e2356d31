// trainer_state.json → metric points: names, steps, the learning-rate convention of
// the transformers version that wrote it, Python's NaN/Infinity, and errors by field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { logsNextLearningRate, parsePythonJson, readTrainerState } from './trainer-state';

const dir = mkdtempSync(join(tmpdir(), 'loralab-trainer-state-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (text: string) => {
  const f = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, text);
  return f;
};

const STATE = `{"global_step": 3, "max_steps": 3, "log_history": [
  {"epoch": 0, "eval_loss": 2.5, "step": 0},
  {"epoch": 0.5, "grad_norm": 1.5, "learning_rate": 0.0, "loss": 2.4, "step": 1},
  {"epoch": 1.0, "grad_norm": NaN, "learning_rate": 0.001, "loss": 2.2, "step": 2},
  {"epoch": 1.5, "grad_norm": Infinity, "learning_rate": 0.0005, "loss": 2.1, "step": 3},
  {"epoch": 1.5, "step": 3, "train_loss": 2.23, "train_runtime": 12.5, "total_flos": 0.0}
]}`;

test('each log_history field becomes the engine metric at its step; the final summary is not a step', () => {
  const s = readTrainerState(file(STATE), { transformersVersion: '4.51.3' });
  const at = (name: string) => s.points.filter((p) => p.name === name).map((p) => [p.step, p.value]);
  assert.deepEqual(at('loss'), [[1, 2.4], [2, 2.2], [3, 2.1]]);
  assert.deepEqual(at('eval_loss'), [[0, 2.5]]);
  assert.deepEqual(at('lr'), [[1, 0], [2, 0.001], [3, 0.0005]]);
  assert.deepEqual(at('grad_norm'), [[1, 1.5], [3, Infinity]], 'NaN is reported, not stored; Infinity is kept');
  assert.equal(s.trainRuntime, 12.5);
  assert.equal(s.globalStep, 3);
  assert.deepEqual(s.warnings, ['log_history[2].grad_norm is NaN (step 2); not recorded']);
});

test('before transformers 4.51 Trainer logged the next step\'s rate: it moves one step on, the last is dropped', () => {
  const s = readTrainerState(file(STATE), { transformersVersion: '4.46.3' });
  assert.deepEqual(s.points.filter((p) => p.name === 'lr').map((p) => [p.step, p.value]), [[2, 0], [3, 0.001]]);
  assert.deepEqual([logsNextLearningRate('4.50.3'), logsNextLearningRate('4.51.0'), logsNextLearningRate('5.2.0.dev0'), logsNextLearningRate('3.9')], [true, false, false, true]);
  const unknown = readTrainerState(file(STATE));
  assert.match(unknown.warnings.join('\n'), /no job_versions\.json beside it/);
});

test("Python's NaN and Infinity tokens parse outside strings only", () => {
  assert.deepEqual(parsePythonJson('{"a": NaN, "b": -Infinity, "c": "NaN Infinity", "d": [Infinity]}'), { a: NaN, b: -Infinity, c: 'NaN Infinity', d: [Infinity] });
});

test('malformed files are errors naming the file and the field', () => {
  assert.throws(() => readTrainerState(file('{"global_step": 1}')), /field "log_history" is missing or not a list/);
  assert.throws(() => readTrainerState(file('{"global_step": -1, "log_history": []}')), /field "global_step" must be a non-negative integer, got -1/);
  assert.throws(() => readTrainerState(file('{"global_step": 1, "log_history": [{"step": 1, "loss": "low"}]}')), /field "log_history\[0\]\.loss" must be a number, got "low"/);
  assert.throws(() => readTrainerState(file('{"global_step": 1, "log_history": [{"loss": 1}]}')), /field "log_history\[0\]\.step" must be a non-negative integer/);
  assert.throws(() => readTrainerState(file('{"global_step": ')), /not valid JSON/);
  assert.throws(() => readTrainerState(join(dir, 'missing.json')), /missing\.json: cannot read it \(ENOENT\)/);
});

// The workbench's services through the router, as the renderer reaches them:
// real SQLite registries, real engine processes (training, merge, generate,
// eval) and a real `loralab train` process to stop from another one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runConfigSchema } from '../../src/shared/config/run-config';
import { createServices, type Services } from '../../src/main/services/index';
import type { Result } from '../../src/shared/ipc/result';
import { CLI, ROOT, tempDir, TINY_MODEL, tinyConfig, waitFor } from '../helpers';

const BUNDLED = join(ROOT, 'resources/models/lab-tiny-llama');
const ADAPTER = join(ROOT, 'test/fixtures/lora/tiny-llama-qv');
let s: Services;
const events: { event: string; payload: Record<string, unknown> }[] = [];
// Made at the top level: a temp folder made inside before() is removed when that hook ends.
const registryPath = join(tempDir(), 'registry.sqlite');

before(() => {
  s = createServices({ registryPath, backend: 'wasm' });
  s.hub.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
});
after(() => s.close());

async function call<T>(channel: string, payload: unknown = {}): Promise<T> {
  const r = (await s.router.dispatch(channel, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const jobDone = (jobId: string) => waitFor(`job ${jobId} to finish`, () => events.find((e) => e.event === 'onJobDone' && e.payload.jobId === jobId)?.payload, 180_000);

describe('runs', () => {
  test('a finished run: summary fields, detail, tags, delete with its folder', async () => {
    const config = tinyConfig(8, { name: 'summary', data: { train: join(TINY_MODEL, 'eval.jsonl'), eval: join(TINY_MODEL, 'eval.jsonl'), max_seq_len: 32 } });
    const { runId } = await call<{ runId: number }>('runs.start', { config: { ...config, train: { ...config.train, eval_every: 4, save_every: 4 } } });
    await s.supervisor.waitForExit(runId);
    const [summary] = await call<Record<string, unknown>[]>('runs.list');
    assert.equal(summary!.status, 'completed');
    assert.equal(summary!.rank, 4);
    assert.equal(summary!.baseModel, TINY_MODEL);
    const evals = s.registry.metrics.forRun(runId, { names: ['eval_loss'] }).map((p) => p.value);
    assert.equal(summary!.bestEvalLoss, Math.min(...evals));
    assert.ok((summary!.durationMs as number) > 0);
    const detail = await call<{ checkpoints: { step: number; bytes: number }[]; artifacts: { kind: string; path: string }[]; engineAlive: boolean; children: number[] }>('runs.get', { runId });
    assert.deepEqual(detail.checkpoints.map((c) => c.step), [4, 8]);
    assert.ok(detail.checkpoints.every((c) => c.bytes > 0));
    assert.deepEqual(detail.artifacts.map((a) => a.kind), ['adapter']);
    assert.equal(detail.engineAlive, false);
    assert.equal(summary!.adapterBytes, ['adapter_model.safetensors', 'adapter_config.json'].reduce((n, f) => n + readFileSync(join(detail.artifacts[0]!.path, f)).length, 0) + extraBytes(detail.artifacts[0]!.path));

    // A continued run is the first run's child.
    const child = await call<{ runId: number }>('runs.start', { config: tinyConfig(2, { name: 'child', init_from: runId }) });
    await s.supervisor.waitForExit(child.runId);
    assert.deepEqual((await call<{ children: number[] }>('runs.get', { runId })).children, [child.runId]);
    assert.deepEqual((await call<{ lineage: number[] }>('runs.get', { runId: child.runId })).lineage, [runId]);

    assert.deepEqual(await call('runs.setTags', { runId, tags: ['b', 'a', 'a '] }), { tags: ['a', 'b'] });
    assert.deepEqual(await call('runs.setTags', { runId, tags: ['c'] }), { tags: ['c'] });
    assert.deepEqual(await call('runs.ranks', { runId }), []);
    const folder = s.supervisor.runDir(runId);
    assert.ok(existsSync(folder));
    assert.deepEqual(await call('runs.delete', { runId }), { deleted: true });
    assert.ok(!existsSync(folder), 'the run folder is gone');
    assert.equal(s.registry.runs.get(runId), undefined);
    assert.equal(s.registry.checkpoints.forRun(runId).length, 0);
    assert.equal(s.registry.runs.get(child.runId)?.parentRunId, null, 'the child keeps its rows');
  });

  test('delete refuses a running run; stop ends it', async () => {
    const { runId } = await call<{ runId: number }>('runs.start', { config: tinyConfig(100_000) });
    await waitFor('a few steps', () => s.registry.metrics.forRun(runId).length >= 3);
    const r = await s.router.dispatch('runs.delete', { runId });
    assert.ok(!r.ok && r.error.code === 'CONFLICT' && /stop it before deleting/.test(r.error.message));
    assert.deepEqual(await call('runs.stop', { runId }), { stopping: true });
    await s.supervisor.waitForExit(runId);
    assert.equal(s.registry.runs.get(runId)?.status, 'stopped');
  });

  test('stop works on a run another process started (a `loralab train` in another terminal)', async () => {
    const dir = tempDir();
    const config = join(dir, 'long.json');
    writeFileSync(config, JSON.stringify(tinyConfig(100_000, { name: 'cli-started' })));
    const cli = spawn(process.execPath, [CLI, 'train', config, '--registry', s.registry.path, '--backend', 'wasm'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    const run = await waitFor('the CLI run to be running', () => s.registry.runs.list().find((r) => r.name === 'cli-started' && r.status === 'running' && r.pid !== null && s.registry.metrics.forRun(r.id).length > 2), 120_000);
    assert.equal(s.supervisor.isActive(run.id), false, 'not supervised here');
    assert.equal((await call<{ engineAlive: boolean }>('runs.get', { runId: run.id })).engineAlive, true);
    assert.deepEqual(await call('runs.stop', { runId: run.id }), { stopping: true });
    const status = await waitFor('onRunStatus stopped', () => events.find((e) => e.event === 'onRunStatus' && e.payload.runId === run.id && e.payload.status !== 'running')?.payload, 60_000);
    assert.equal(status.status, 'stopped');
    assert.equal(await exited, 1, 'the CLI reports a run that did not complete');
    assert.ok(s.registry.checkpoints.latest(run.id), 'stopped with a checkpoint to resume from');
    assert.deepEqual(await call('runs.stop', { runId: run.id }), { stopping: false });
  });
});

/** Bytes of the adapter folder's other files (README and the like), so the check above counts the whole folder. */
function extraBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f !== 'adapter_model.safetensors' && f !== 'adapter_config.json')
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

describe('jobs in engine processes', () => {
  test('merge.start: progress, verification, and the merged model recorded as an artifact', async () => {
    const out = join(tempDir(), 'merged');
    const { jobId } = await call<{ jobId: string }>('merge.start', { base: TINY_MODEL, adapters: [{ path: ADAPTER, weight: 1 }], out, dtype: 'float32', verify: true });
    assert.ok((await call<{ jobId: string }[]>('jobs.list')).some((j) => j.jobId === jobId));
    const done = (await jobDone(jobId)) as { ok: boolean; error: string; result: { verify: { maxAbsLogitDiff: number }; artifactId: number; out: string } };
    assert.ok(done.ok, done.error);
    assert.ok(done.result.verify.maxAbsLogitDiff < 1e-4);
    assert.ok(existsSync(join(out, 'model.safetensors')));
    const artifact = s.registry.artifacts.findByPath(out)!;
    assert.equal(artifact.id, done.result.artifactId);
    assert.equal(artifact.kind, 'merged-model');
    assert.deepEqual(artifact.meta.verify, done.result.verify);
    const progress = events.filter((e) => e.event === 'onJobProgress' && e.payload.jobId === jobId).map((e) => e.payload.fraction);
    assert.equal(progress.at(-1), 1);
    // An existing folder is never overwritten; a merge that fails in the engine is reported, not thrown.
    const again = await s.router.dispatch('merge.start', { base: TINY_MODEL, adapters: [{ path: ADAPTER, weight: 1 }], out, verify: false });
    assert.ok(!again.ok && again.error.code === 'VALIDATION' && again.error.issues?.[0]?.path === 'out');
    const never = join(tempDir(), 'never');
    const wrong = await call<{ jobId: string }>('merge.start', { base: TINY_MODEL, adapters: [{ path: TINY_MODEL, weight: 1 }], out: never, verify: false });
    const failed = (await jobDone(wrong.jobId)) as { ok: boolean; error: string };
    assert.equal(failed.ok, false);
    assert.match(failed.error, /adapter_config\.json/);
    assert.ok(!existsSync(never));
  });

  test('eval.start matches the PyTorch reference loss', async () => {
    const expected = JSON.parse(readFileSync(join(ADAPTER, 'expected.json'), 'utf8')).eval_loss_adapted as number;
    const { jobId } = await call<{ jobId: string }>('eval.start', { model: TINY_MODEL, adapter: ADAPTER, data: join(TINY_MODEL, 'eval.jsonl') });
    const done = (await jobDone(jobId)) as { ok: boolean; error: string; result: { loss: number } };
    assert.ok(done.ok, done.error);
    assert.ok(Math.abs(done.result.loss - expected) / expected < 1e-5);
  });

  test('generate.start streams tokens whose text is the result, through the chat template; cancel ends a long one', async () => {
    const { jobId } = await call<{ jobId: string }>('generate.start', { model: BUNDLED, adapter: null, prompt: 'Write 86 in words.', chat: true, maxNewTokens: 12, which: 'base' });
    const done = (await jobDone(jobId)) as { ok: boolean; error: string; result: { text: string; renderedPrompt: string; chatTemplate: boolean } };
    assert.ok(done.ok, done.error);
    const tokens = events.filter((e) => e.event === 'onGenerateToken' && e.payload.jobId === jobId);
    assert.ok(tokens.every((t) => t.payload.which === 'base'));
    assert.equal(tokens.map((t) => t.payload.text).join(''), done.result.text);
    assert.equal(done.result.chatTemplate, true);
    assert.match(done.result.renderedPrompt, /<\|im_start\|>user\nWrite 86 in words\.<\|im_end\|>\n<\|im_start\|>assistant\n$/);
    const raw = await call<{ jobId: string }>('generate.start', { model: BUNDLED, adapter: null, prompt: 'Write 86 in words.', chat: false, maxNewTokens: 2 });
    assert.equal(((await jobDone(raw.jobId)) as { result: { renderedPrompt: string } }).result.renderedPrompt, 'Write 86 in words.');

    const long = await call<{ jobId: string }>('generate.start', { model: BUNDLED, adapter: null, prompt: 'The', maxNewTokens: 4096, temperature: 1, seed: 3 });
    await waitFor('a few tokens', () => events.filter((e) => e.event === 'onGenerateToken' && e.payload.jobId === long.jobId).length >= 3, 120_000);
    assert.deepEqual(await call('jobs.cancel', { jobId: long.jobId }), { cancelled: true });
    const cancelled = (await jobDone(long.jobId)) as { ok: boolean; error: string; result: { stop: string; tokens: number } };
    assert.equal(cancelled.ok, true, cancelled.error);
    assert.equal(cancelled.result.stop, 'cancelled');
    assert.ok(cancelled.result.tokens < 4096);
    assert.deepEqual(await call('jobs.cancel', { jobId: long.jobId }), { cancelled: false });
  });
});

describe('helpers of the workbench', () => {
  test('config.defaults: a valid config on the bundled model, and YAML that parses to it', async () => {
    const { config, yaml } = await call<{ config: Record<string, unknown>; yaml: string }>('config.defaults');
    assert.equal(config.model, BUNDLED);
    assert.deepEqual(runConfigSchema.parse(parse(yaml)), runConfigSchema.parse(config));
    assert.match(yaml, /# rank of the update/);
  });

  test('models.list: the bundled model first, then models of runs', async () => {
    const models = await call<{ path: string; source: string; modelType: string | null }[]>('models.list');
    assert.deepEqual(models[0], { path: BUNDLED, name: 'lab-tiny-llama', source: 'bundled', modelType: 'llama' });
    assert.ok(models.some((m) => m.path === TINY_MODEL && m.source === 'recent'));
  });

  test('data.preview: the learned tokens of a chat row are exactly the assistant answer and its end marker', async () => {
    const file = join(ROOT, 'resources/data/demo-numbers/train.jsonl');
    const preview = await call<{ examples: { line: number; tokens: { text: string; learned: boolean }[]; truncated: boolean }[]; total: number; errors: unknown[] }>('data.preview', { model: BUNDLED, file, maxSeqLen: 64, limit: 3 });
    assert.equal(preview.examples.length, 3);
    assert.equal(preview.total, readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length);
    const row = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as { messages: { content: string }[] };
    const learned = preview.examples[0]!.tokens.filter((t) => t.learned).map((t) => t.text).join('');
    assert.equal(learned.replace(/<\|im_end\|>\s*$/, ''), row.messages[1]!.content);
    assert.ok(!preview.examples[0]!.tokens[0]!.learned);
    const short = await call<{ examples: { tokens: unknown[]; truncated: boolean }[] }>('data.preview', { model: BUNDLED, file, maxSeqLen: 8, limit: 1 });
    assert.equal(short.examples[0]!.tokens.length, 8);
    assert.equal(short.examples[0]!.truncated, true);
    // A bad line is reported with its line number, and the rest still previews.
    const bad = join(tempDir(), 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(file, 'utf8').split('\n')[0]}\n{"nope": 1}\nnot json\n`);
    const withErrors = await call<{ examples: unknown[]; errors: { line: number; message: string }[] }>('data.preview', { model: BUNDLED, file: bad, maxSeqLen: 64 });
    assert.equal(withErrors.examples.length, 1);
    assert.deepEqual(withErrors.errors.map((e) => e.line), [2, 3]);
    // Every answer came from one engine process kept warm for previews; the tokenizer never loaded here.
    const pid = s.preview.pid;
    assert.ok(pid !== null && pid !== process.pid, 'a preview engine is running');
    const again = Date.now();
    await call('data.preview', { model: BUNDLED, file, maxSeqLen: 16, limit: 1 });
    assert.equal(s.preview.pid, pid, 'the same engine answered again');
    assert.ok(Date.now() - again < 2000, 'a warm preview is an IPC round trip, not a fork and a tokenizer load');
    assert.deepEqual(Object.keys(require.cache).filter((k) => /engine[\\/]io[\\/]tokenizer/.test(k)), [], 'no tokenizer module in this process');
    const notModel = await s.router.dispatch('data.preview', { model: tempDir(), file, maxSeqLen: 16 });
    assert.ok(!notModel.ok && notModel.error.code === 'VALIDATION' && notModel.error.issues?.[0]?.path === 'model', JSON.stringify(notModel));
  });

  test('inspect.run gives the CLI report: ChatGLM-6B r=8 on query_key_value → 3,670,016', async () => {
    const r = await call<{ trainableParams: number }>('inspect.run', { model: 'chatglm-6b', method: 'lora', rank: 8, alpha: 16, targets: ['query_key_value'] });
    assert.equal(r.trainableParams, 3_670_016);
  });

  test('system.doctor asks an engine once and never loads tfjs here; showInFolder/pickFolder say the browser cannot', async () => {
    const first = await call<{ backend: string }>('system.doctor');
    const t = Date.now();
    assert.deepEqual(await call('system.doctor'), first);
    assert.ok(Date.now() - t < 100, 'the second answer is the cached one');
    assert.equal(first.backend, 'wasm');
    assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), [], 'no tfjs module in this process');
    assert.deepEqual(await call('system.showInFolder', { path: ROOT }), { opened: false, path: ROOT });
    assert.deepEqual(await call('system.pickFolder'), { path: null, supported: false });
  });
});

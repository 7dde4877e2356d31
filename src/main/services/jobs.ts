// Jobs: merge, generate and eval, each in its own engine process, so no model is
// ever loaded in Electron main or the `loralab ui` server. Progress, streamed
// tokens and the outcome are relayed as onJobProgress / onGenerateToken /
// onJobDone; a finished merge is recorded as an artifact of its run.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  EvalRequest,
  GenerateRequest,
  JobDoneEvent,
  JobInfo,
  JobKind,
  MergeRequest,
} from '../../shared/ipc/job-schemas';
import { quantSchema } from '../../shared/config/quant';
import { LoraLabError } from '../../shared/ipc/result';
import type { EngineMergeResult, FromEngine, ToEngine } from '../engine/protocol';
import type { Registry } from '../registry/index';
import { describeExit, forkEngine, type ForkedEngine } from './engine-fork';
import type { EventHub } from './event-hub';
import { parseSize } from './sizes';

export interface JobsOptions {
  /** Where a merge is recorded; null for a jobs service that only evaluates and generates. */
  registry: Registry | null;
  hub: EventHub;
  engineEntry: string;
  backend?: string;
  /** How long a cancelled job gets to stop by itself before SIGKILL (a merge never checks). */
  cancelGraceMs?: number;
}

interface Running {
  info: JobInfo;
  engine: ForkedEngine;
  done: Promise<JobDoneEvent>;
}

export class JobsService {
  private readonly running = new Map<string, Running>();

  constructor(private readonly opts: JobsOptions) {}

  merge(req: MergeRequest): { jobId: string } {
    const { registry } = this.opts;
    if (!registry) throw new LoraLabError('INTERNAL', 'merge needs a registry to record the merged model in');
    const base = resolve(req.base);
    const adapters = req.adapters.map((a) => ({ dir: resolve(a.path), weight: a.weight }));
    // A QLoRA merge needs the quantization the adapter was trained on: the quant section of
    // the run that wrote it when the registry knows it, else QLoRA's recipe (NF4, 64, double quant).
    const sourceRun = registry.artifacts.findByPath(adapters[0]!.dir)?.runId;
    const sourceQuant = sourceRun === undefined || sourceRun === null ? undefined : registry.runs.get(sourceRun)?.config.quant;
    const qlora = req.qloraBase === undefined ? null : { base: req.qloraBase, quant: quantSchema.parse(sourceQuant ?? {}) };
    const out = resolve(req.out);
    if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
      throw new LoraLabError('VALIDATION', `out: ${out} already exists; merge into a new folder`, [{ path: 'out', message: 'already exists' }]);
    }
    const maxShardBytes = req.maxShardSize === undefined ? undefined : typeof req.maxShardSize === 'number' ? req.maxShardSize : parseSize(req.maxShardSize, 'maxShardSize');
    if (req.runId !== undefined && !registry.runs.get(req.runId)) throw new LoraLabError('NOT_FOUND', `runId: run ${req.runId} does not exist`);
    const job: ToEngine = { type: 'merge', jobId: newJobId(), backend: this.opts.backend, base, adapters, out, dtype: req.dtype, maxShardBytes, verify: req.verify, qlora };
    return this.start(job, 'merge', (result) => {
      const r = result as EngineMergeResult;
      const runId = req.runId ?? registry.artifacts.findByPath(adapters[0]!.dir)?.runId ?? null;
      const negative = adapters.every((a) => a.weight < 0);
      const artifact = registry.artifacts.add({
        runId,
        kind: negative ? 'unmerged-model' : 'merged-model',
        path: r.out,
        meta: { base, adapters, dtype: r.dtype, shards: r.shards, bytes: r.bytes, verify: r.verify, verifySkipped: r.verifySkipped, qlora: r.qlora },
      });
      return { ...r, runId, artifactId: artifact.id };
    });
  }

  generate(req: GenerateRequest): { jobId: string } {
    return this.start({ type: 'generate', jobId: newJobId(), backend: this.opts.backend, request: { ...req, model: resolve(req.model), adapter: req.adapter && resolve(req.adapter) } }, 'generate');
  }

  eval(req: EvalRequest): { jobId: string } {
    const request = { ...req, model: resolve(req.model), adapter: req.adapter && resolve(req.adapter), data: resolve(req.data) };
    return this.start({ type: 'eval', jobId: newJobId(), backend: this.opts.backend, request }, 'eval');
  }

  list(): JobInfo[] {
    return [...this.running.values()].map((r) => r.info);
  }

  /** Asks the job's engine to stop (generate/eval stop at the next token or batch), then kills it. */
  cancel(jobId: string): { cancelled: boolean } {
    const r = this.running.get(jobId);
    if (!r) return { cancelled: false };
    const { child } = r.engine;
    if (child.connected) child.send({ type: 'stop' } satisfies ToEngine);
    const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.cancelGraceMs ?? 2000);
    void r.engine.exited.then(() => clearTimeout(timer));
    return { cancelled: true };
  }

  /** Resolves with the job's onJobDone payload (what the CLI waits for). */
  async wait(jobId: string): Promise<JobDoneEvent> {
    const r = this.running.get(jobId);
    if (!r) throw new LoraLabError('NOT_FOUND', `job ${jobId} is not running`);
    return r.done;
  }

  /** Cancels every job and waits for their engines (the app or CLI is quitting). */
  async shutdown(): Promise<void> {
    const all = [...this.running.values()];
    all.forEach((r) => this.cancel(r.info.jobId));
    await Promise.all(all.map((r) => r.engine.exited));
  }

  private start(job: ToEngine & { jobId: string }, kind: JobKind, finish: (result: unknown) => unknown = (r) => r): { jobId: string } {
    const { hub } = this.opts;
    const { jobId } = job;
    let reported: JobDoneEvent | null = null;
    const onMessage = (msg: FromEngine) => {
      if (msg.type === 'job-progress') hub.emit('onJobProgress', { jobId, kind, fraction: msg.fraction, message: msg.message });
      else if (msg.type === 'job-token') hub.emit('onGenerateToken', { jobId, text: msg.text, ...(msg.which ? { which: msg.which } : {}) });
      else if (msg.type === 'job-done') {
        try {
          reported = { jobId, kind, ok: msg.ok, result: msg.ok ? (finish(msg.result) as JobDoneEvent['result']) : null, error: msg.error };
        } catch (err) {
          reported = { jobId, kind, ok: false, result: null, error: `recording the result failed: ${(err as Error).message}` };
        }
      }
    };
    const engine = forkEngine(this.opts.engineEntry, job, onMessage, `the engine of ${kind} job ${jobId}`);
    const done = engine.exited.then((exit) => {
      this.running.delete(jobId);
      const event: JobDoneEvent = reported ?? { jobId, kind, ok: false, result: null, error: `${describeExit(exit)} before finishing the ${kind} job` };
      hub.emit('onJobDone', event);
      return event;
    });
    this.running.set(jobId, { info: { jobId, kind, startedAt: Date.now(), pid: engine.child.pid ?? null }, engine, done });
    return { jobId };
  }
}

const newJobId = (): string => `job-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

// data.preview without a tokenizer in this process: one engine process serves the
// previews (engine/jobs/preview-server.ts) and keeps the tokenizers it loaded, so
// the editor's repeated asks (every change of the data path or max_seq_len, after
// the renderer's debounce) cost an IPC round trip, not a fork and a tokenizer load.
// The engine leaves by itself once idle; the next ask forks a new one. An engine
// that dies fails the asks in flight with how it ended, and the next ask retries.
import type { ChildProcess } from 'node:child_process';
import type { DataPreview, DataPreviewRequest } from '../../shared/ipc/workbench-schemas';
import { LoraLabError } from '../../shared/ipc/result';
import { describeExit, forkEngine, sendToEngine } from './engine-fork';

/** How long the preview engine waits for the next ask before it exits. */
export const PREVIEW_IDLE_MS = 120_000;

interface Pending {
  request: DataPreviewRequest;
  resolve(p: DataPreview): void;
  reject(e: Error): void;
}

export class PreviewService {
  private engine: ChildProcess | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private closing = false;

  constructor(private readonly opts: { engineEntry: string; idleMs?: number }) {}

  preview(request: DataPreviewRequest): Promise<DataPreview> {
    return new Promise<DataPreview>((resolve, reject) => this.send(this.nextId++, { request, resolve, reject }));
  }

  private send(requestId: number, waiting: Pending): void {
    const engine = this.engine ?? this.start();
    this.pending.set(requestId, waiting);
    if (!sendToEngine(engine, { type: 'preview-request', requestId, request: waiting.request })) {
      this.pending.delete(requestId);
      waiting.reject(new LoraLabError('INTERNAL', 'data.preview: the preview engine is not running; ask again'));
    }
  }

  /** The preview engine's pid, or null when none is running. */
  get pid(): number | null {
    return this.engine?.pid ?? null;
  }

  /** Ends the preview engine (when the services close). */
  async shutdown(): Promise<void> {
    this.closing = true;
    const engine = this.engine;
    if (!engine) return;
    const exited = new Promise<void>((resolve) => engine.once('exit', () => resolve()));
    if (engine.exitCode === null && engine.signalCode === null) {
      sendToEngine(engine, { type: 'stop' });
      const kill = setTimeout(() => engine.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(kill);
    }
  }

  private start(): ChildProcess {
    const { child, exited } = forkEngine(
      this.opts.engineEntry,
      { type: 'preview', idleMs: this.opts.idleMs ?? PREVIEW_IDLE_MS },
      (msg) => {
        if (msg.type !== 'preview-result') return;
        const waiting = this.pending.get(msg.requestId);
        if (!waiting) return;
        this.pending.delete(msg.requestId);
        if (msg.preview) waiting.resolve(msg.preview);
        else waiting.reject(new LoraLabError(msg.error?.code ?? 'INTERNAL', msg.error?.message ?? 'data.preview failed', msg.error?.issues));
      },
      'the preview engine',
    );
    this.engine = child;
    void exited.then((exit) => {
      if (this.engine === child) this.engine = null;
      const unanswered = [...this.pending];
      this.pending.clear();
      for (const [id, waiting] of unanswered) {
        // An ask that crossed the engine's idle exit (code 0) goes to a fresh engine;
        // one it died on is answered with how it died (asking again would repeat that).
        if (exit.code === 0 && !this.closing) this.send(id, waiting);
        else waiting.reject(new LoraLabError('INTERNAL', `data.preview: ${describeExit(exit)}`));
      }
    });
    return child;
  }
}

// system.doctor without tfjs in this process: selecting a backend loads tfjs (and
// tfjs-node-gpu's native code, when installed), which has no business in Electron
// main or the `loralab ui` server. One engine process is asked once per process
// start; the answer is cached (a failed attempt is not, so it can be retried).
import type { DoctorReport } from '../../shared/ipc/schemas';
import { LoraLabError } from '../../shared/ipc/result';
import { describeExit, forkEngine } from './engine-fork';

export class DoctorService {
  private cached: Promise<DoctorReport> | null = null;

  constructor(private readonly opts: { engineEntry: string; registryPath: string; backend?: string }) {}

  report(): Promise<DoctorReport> {
    this.cached ??= this.ask().catch((err: unknown) => {
      this.cached = null;
      throw err;
    });
    return this.cached;
  }

  private async ask(): Promise<DoctorReport> {
    let report: DoctorReport | null = null;
    const engine = forkEngine(
      this.opts.engineEntry,
      { type: 'doctor', backend: this.opts.backend, registryPath: this.opts.registryPath },
      (msg) => {
        if (msg.type === 'doctor') report = msg.report;
      },
      'the doctor engine',
    );
    const exit = await engine.exited;
    if (!report) throw new LoraLabError('INTERNAL', `the backend check failed: ${describeExit(exit)}`);
    return report;
  }
}

// Real `loralab` processes training LoRA on the tiny Llama fixture, for the fault
// tests: write a config, start train/resume as child processes, read the registry
// the way another process would, and wait for processes to end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isProcessAlive } from '../../src/main/engine/io/pid';
import { CLI, ROOT, waitFor } from '../helpers';

export const LLAMA = join(ROOT, 'test/fixtures/models/tiny-llama');

/** A LoRA config on the tiny Llama that checkpoints every `saveEvery` steps. */
export function writeTinyConfig(dir: string, steps: number, saveEvery = 5, name = 'tiny'): string {
  const file = join(dir, `${name}.json`);
  const data = join(LLAMA, 'eval.jsonl');
  writeFileSync(
    file,
    JSON.stringify({
      name,
      model: LLAMA,
      method: 'lora',
      lora: { r: 4, alpha: 8, dropout: 0.1, targets: ['q_proj', 'v_proj'] },
      data: { train: data, max_seq_len: 64 },
      train: { steps, batch_size: 2, lr: 0.005, schedule: 'cosine', warmup_steps: 2, save_every: saveEvery, seed: 3 },
    }),
  );
  return file;
}

export interface CliRun {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `loralab <args> --registry <registry> --backend wasm` as a child process. */
export function startCli(args: string[], registry: string, env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args, '--registry', registry, '--backend', 'wasm'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exit };
}

export function cli(args: string[], registry: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--registry', registry, '--backend', 'wasm'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface RunState {
  status: string;
  pid: number | null;
  error: string | null;
  checkpoint: number;
  lastStep: number;
}

/** The registry row as another process sees it, without reconciling anything. */
export function peek(registry: string, runId: number): RunState | undefined {
  const db = new Database(registry, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const run = db.prepare('SELECT status, pid, error FROM runs WHERE id = ?').get(runId) as Omit<RunState, 'checkpoint' | 'lastStep'> | undefined;
    if (!run) return undefined;
    const cp = db.prepare('SELECT max(step) AS s FROM checkpoints WHERE run_id = ?').get(runId) as { s: number | null };
    const last = db.prepare("SELECT max(step) AS s FROM metrics WHERE run_id = ? AND name = 'loss'").get(runId) as { s: number | null };
    return { ...run, checkpoint: cp.s ?? 0, lastStep: last.s ?? 0 };
  } finally {
    db.close();
  }
}

export function integrityCheck(registry: string): string {
  const db = new Database(registry, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

export const waitForRun = (registry: string, runId: number, what: string, ok: (s: RunState) => boolean, ms = 120_000) =>
  waitFor(what, () => {
    try {
      const s = peek(registry, runId);
      return s && ok(s) ? s : undefined;
    } catch {
      return undefined; // the registry file is not there yet
    }
  }, ms, 20);

export const waitForDeath = (pid: number, ms = 60_000) => waitFor(`process ${pid} to exit`, () => !isProcessAlive(pid), ms, 20);

export function adapterBytes(registry: string, runId: number): Buffer {
  const db = new Database(registry, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT path FROM artifacts WHERE run_id = ? AND kind = 'adapter' ORDER BY id DESC LIMIT 1").get(runId) as { path: string } | undefined;
    if (!row) throw new Error(`run ${runId} has no adapter artifact`);
    return readFileSync(join(row.path, 'adapter_model.safetensors'));
  } finally {
    db.close();
  }
}

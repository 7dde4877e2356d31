// The backend options of bench/forward.ts and bench/train.ts: `--backend
// wasm|webgpu|cpu` (default wasm, the numbers BENCHMARKS.md compares with PyTorch),
// `--runs N` and `--batch N`, and how a result on a backend other than wasm is
// labelled: the backend, and on webgpu the adapter, with a plain warning when the
// adapter is a software rasterizer (Mesa's llvmpipe here): a CPU emulation of a
// GPU, so its numbers say the path is correct, not how fast a GPU is.
import type { BackendSelection, Tf } from '../src/main/engine/backend';
import type { Tensor } from '@tensorflow/tfjs';
import { adapterLimits, describeAdapter } from '../src/shared/webgpu-adapter';

export const BENCH_BACKENDS = ['wasm', 'webgpu', 'cpu'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];

export interface BenchArgs {
  backend: BenchBackend;
  runs: number;
  batch: number;
  /** The options as given, for the section's Command line ('' for the defaults). */
  given: string;
}

/** Parses `--backend B --runs N --batch N` (any order, each optional); null and a usage line on stderr when malformed. */
export function parseBenchArgs(argv: readonly string[], defaults: { runs: number; batch: number }, command: string): BenchArgs | null {
  const out: BenchArgs = { backend: 'wasm', runs: defaults.runs, batch: defaults.batch, given: '' };
  const usage = () => {
    console.error(`usage: ${command} [--backend ${BENCH_BACKENDS.join('|')}] [--runs N] [--batch N]  (N ≥ 1; defaults: wasm, ${defaults.runs} runs, batch ${defaults.batch})`);
    return null;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) return usage();
    if (key === '--backend') {
      if (!(BENCH_BACKENDS as readonly string[]).includes(value)) return usage();
      out.backend = value as BenchBackend;
    } else if (key === '--runs' || key === '--batch') {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) return usage();
      out[key === '--runs' ? 'runs' : 'batch'] = n;
    } else return usage();
  }
  out.given = argv.join(' ');
  return out;
}

/**
 * Waits until `t` is computed. wasm and cpu kernels run when called; webgpu only
 * queues them, so reading one element back (the queue runs in order) is the end
 * of the work, without timing a readback of the whole tensor.
 */
export async function settle(tf: Tf, t: Tensor): Promise<void> {
  if (tf.getBackend() !== 'webgpu') return;
  const probe = tf.slice(t.reshape([-1]), [0], [1]);
  await probe.data();
  probe.dispose();
}

/** The section's lines about the backend: its package, and on webgpu the adapter and what its numbers mean. */
export function backendLines(selection: BackendSelection): string[] {
  const adapter = selection.webgpu;
  if (!adapter) return [`- Backend: ${selection.backend}${selection.package ? ` (${selection.package})` : ' (built into tfjs)'}`];
  return [
    `- Backend: webgpu (${selection.package} on Dawn's Node binding \`webgpu\`), adapter ${describeAdapter(adapter)}; ${adapterLimits(adapter)}`,
    adapter.software
      ? '- **This adapter is a software rasterizer: a CPU emulation of a GPU.** Its numbers show that the webgpu path computes the ' +
        'same results, not how fast a GPU is; on this machine the wasm backend is the fast one.'
      : `- GPU: ${adapter.vendor || 'unknown vendor'} ${adapter.architecture} ${adapter.device}`.trimEnd(),
  ];
}

/** The note every webgpu section carries until a machine with a GPU and Node has run the same command. */
export const NO_GPU_MACHINE_NOTE =
  'No machine with a GPU and Node was available to this project: the numbers above are the only webgpu numbers so far. ' +
  'Running the same command there adds them, named by the adapter line.';

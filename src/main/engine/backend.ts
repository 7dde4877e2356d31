// The engine's tfjs backend choice: tensorflow (tfjs-node-gpu, then tfjs-node) >
// webgpu (Dawn, backends/webgpu.ts; hardware adapters only unless asked for by
// name) > wasm > cpu, with an override by argument or LORALAB_BACKEND, and the
// doctor report built on it. Every engine module gets its `tf` from here (getTf), so
// tensors and ops all come from the one tfjs instance the backend sits on.
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BACKENDS, type BackendName, type DoctorReport } from '../../shared/ipc/schemas';
import { installWasmBatchMatMul } from './kernels/wasm-batch-matmul';
import { installSoftmaxXentGrad } from './kernels/softmax-xent-grad';
import { installEmbeddingGrad } from './kernels/embedding-grad';
import { installWebGpuAddN } from './kernels/webgpu-addn';
import { installWebGpuMatMul } from './kernels/webgpu-matmul';
import { installWebGpuSoftmaxXentGrad } from './kernels/webgpu-softmax-xent-grad';
import { initThreadedWasm } from './kernels/wasm-threads';
import { installSharingIdentity } from './wasm-identity';
import { loadWebGpu, TFJS_WEBGPU_PACKAGE, type WebGpuAdapterReport } from './backends/webgpu';
import { guardWebGpuReads } from './backends/webgpu-errors';

export type Tf = typeof tfjs;
export type BackendPreference = BackendName | 'auto';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = [...BACKENDS, 'auto'];

export interface BackendFallback {
  backend: BackendName;
  package: string | null;
  reason: string;
}

export interface BackendSelection {
  backend: BackendName;
  /** The package that provides the backend; null for tfjs's built-in cpu. */
  package: string | null;
  tfjsVersion: string;
  gpu: { available: boolean; package: string | null };
  /** Every backend tried before the one in use, and why it was not used. */
  fallbacks: BackendFallback[];
  /** Threads of the wasm backend's pool (the threaded build gives one per core); null for other backends. */
  wasmThreads: number | null;
  /** The WebGPU adapter the webgpu backend runs on; null for other backends. */
  webgpu: WebGpuAdapterReport | null;
  /**
   * The tf namespace the backend is registered on (also getTf()). Not
   * enumerable, so the selection serializes and compares as plain data.
   */
  readonly tf: Tf;
}

export interface SelectBackendOptions {
  /** 'tensorflow' | 'webgpu' | 'wasm' | 'cpu' | 'auto'; wins over LORALAB_BACKEND. */
  prefer?: string;
  /** Where the optional tensorflow and webgpu packages are looked up; default: LoRA Lab's root. */
  resolveFrom?: string;
}

/** Thrown for a bad preference or a forced backend that cannot be used. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    message: string,
    readonly code: 'BAD_BACKEND_PREFERENCE' | 'BACKEND_UNAVAILABLE',
  ) {
    super(message);
  }
}

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const TENSORFLOW_PACKAGES = [GPU_PACKAGE, '@tensorflow/tfjs-node'] as const;
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const ENV_VAR = 'LORALAB_BACKEND';
const THREADS_VAR = 'LORALAB_WASM_THREADS';

let active: { tf: Tf; selection: BackendSelection } | null = null;

/** The tf namespace the selected backend is registered on. */
export function getTf(): Tf {
  if (!active) throw new Error('no tfjs backend selected yet: call selectBackend() first');
  return active.tf;
}

/** Chooses, initializes and checks a backend; see the file header for the order. */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const prefer = resolvePreference(options.prefer);
  const resolveFrom = options.resolveFrom ?? packageRoot();
  const fallbacks: BackendFallback[] = [];
  const order: BackendName[] = prefer.value === 'auto' ? [...BACKENDS] : [prefer.value];

  for (const backend of order) {
    const attempts = await tryBackend(backend, resolveFrom, prefer.value === backend);
    for (const attempt of attempts) {
      if (attempt.ok) {
        // A GPU does the work: tfjs-node-gpu, or webgpu on a hardware adapter (not a CPU emulation).
        const gpu = attempt.package === GPU_PACKAGE || (attempt.webgpu !== undefined && !attempt.webgpu.software);
        const selection = Object.defineProperty(
          {
            backend,
            package: attempt.package,
            tfjsVersion: attempt.tf.version_core,
            gpu: { available: gpu, package: gpu ? attempt.package : null },
            fallbacks,
            wasmThreads: backend === 'wasm' ? wasmThreads : null,
            webgpu: attempt.webgpu ?? null,
          },
          'tf',
          { value: attempt.tf, enumerable: false },
        ) as BackendSelection;
        active = { tf: attempt.tf, selection };
        return selection;
      }
      fallbacks.push({ backend, package: attempt.package, reason: attempt.reason });
    }
  }

  if (prefer.value === 'auto') {
    // Unreachable in practice: the cpu backend is part of tfjs itself.
    throw new BackendError(`no tfjs backend could be initialized: ${fallbacks.map((f) => f.reason).join('; ')}`, 'BACKEND_UNAVAILABLE');
  }
  throw new BackendError(
    `backend '${prefer.value}' was requested (${prefer.source}) but is not available: ` +
      `${fallbacks.map((f) => f.reason).join('; ')}. ${ADVICE[prefer.value]}`,
    'BACKEND_UNAVAILABLE',
  );
}

/** The doctor's view: the selection plus the machine it runs on. */
export function doctorReport(selection: BackendSelection, registryPath: string): DoctorReport {
  return {
    backend: selection.backend,
    tfjsVersion: selection.tfjsVersion,
    gpu: { ...selection.gpu },
    fallbacks: selection.fallbacks.map((f) => ({ ...f })),
    webgpu: selection.webgpu ? { ...selection.webgpu, limits: { ...selection.webgpu.limits } } : null,
    cpus: os.cpus().length,
    memoryBytes: os.totalmem(),
    registryPath,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const ADVICE: Record<BackendName, string> = {
  tensorflow: `Install ${GPU_PACKAGE} (CUDA) or @tensorflow/tfjs-node, or choose wasm, cpu or auto.`,
  webgpu:
    `Install the optional packages webgpu and ${TFJS_WEBGPU_PACKAGE} and a GPU driver (headless Linux through Mesa: ` +
    `libegl1 libegl-mesa0 libgl1-mesa-dri and EGL_PLATFORM=surfaceless), or choose wasm, cpu or auto.`,
  wasm: `Reinstall ${WASM_PACKAGE}, or choose cpu or auto.`,
  cpu: 'Choose wasm or auto.',
};

function resolvePreference(arg: string | undefined): { value: BackendPreference; source: string } {
  const envValue = process.env[ENV_VAR];
  // An empty variable is how shells unset things in scripts; treat it as unset.
  const [raw, source] = arg !== undefined ? [arg, `prefer: '${arg}'`] : envValue ? [envValue, `${ENV_VAR}=${envValue}`] : ['auto', 'default'];
  const value = raw.trim().toLowerCase();
  if (!(BACKEND_PREFERENCES as readonly string[]).includes(value)) {
    const where = arg !== undefined ? 'the backend preference' : ENV_VAR;
    throw new BackendError(`${where} must be one of ${BACKEND_PREFERENCES.join(', ')}; got '${raw}'`, 'BAD_BACKEND_PREFERENCE');
  }
  return { value: value as BackendPreference, source };
}

type Attempt =
  | { ok: true; package: string | null; tf: Tf; webgpu?: WebGpuAdapterReport }
  | { ok: false; package: string | null; reason: string };

async function tryBackend(backend: BackendName, resolveFrom: string, named: boolean): Promise<Attempt[]> {
  switch (backend) {
    case 'tensorflow': {
      const attempts: Attempt[] = [];
      for (const pkg of TENSORFLOW_PACKAGES) {
        const attempt = await tryTensorflow(pkg, resolveFrom);
        attempts.push(attempt);
        if (attempt.ok) break;
      }
      return attempts;
    }
    case 'webgpu':
      return tryWebGpu(resolveFrom, named);
    case 'wasm':
      return [await tryWasm()];
    case 'cpu':
      return [await tryBuiltin('cpu')];
  }
}

async function tryTensorflow(pkg: string, resolveFrom: string): Promise<Attempt> {
  // createRequire wants a file; it need not exist, only its folder matters.
  const req = createRequire(path.join(path.resolve(resolveFrom), 'noop.js'));
  let mod: unknown;
  try {
    mod = req(pkg);
  } catch (err) {
    if (isNotInstalled(err, pkg)) return { ok: false, package: pkg, reason: `${pkg} is not installed` };
    // Installed but broken (missing CUDA/cuDNN, wrong libtensorflow, bad native
    // binding): the user must see this, or they never learn why the GPU is idle.
    return { ok: false, package: pkg, reason: `${pkg} is installed but failed to load: ${firstLine(err)}` };
  }
  const tf = mod as Tf;
  if (typeof tf?.setBackend !== 'function') {
    return { ok: false, package: pkg, reason: `${pkg} loaded but does not export a tfjs namespace` };
  }
  const problem = await activate(tf, 'tensorflow');
  return problem ? { ok: false, package: pkg, reason: `${pkg} loaded but ${problem}` } : { ok: true, package: pkg, tf };
}

async function tryWebGpu(resolveFrom: string, named: boolean): Promise<Attempt[]> {
  const attempts = await loadWebGpu(tfjs, resolveFrom, named);
  const skipped: Attempt[] = [];
  for (const attempt of attempts) {
    if (!attempt.ok) {
      skipped.push(attempt);
      continue;
    }
    const problem = await activate(tfjs, 'webgpu');
    if (problem) return [...skipped, { ok: false, package: TFJS_WEBGPU_PACKAGE, reason: `${TFJS_WEBGPU_PACKAGE} ${problem}` }];
    guardWebGpuReads(tfjs);
    installWebGpuAddN(tfjs);
    installWebGpuMatMul(tfjs);
    installWebGpuSoftmaxXentGrad(tfjs);
    return [...skipped, { ok: true, package: TFJS_WEBGPU_PACKAGE, tf: tfjs, webgpu: attempt.adapter }];
  }
  return skipped;
}

let wasmPathsSet = false;
/** Set once, by the first wasm initialisation: the binary and its pool cannot change afterwards. */
let wasmThreads = 1;
let wasmThreadsTried = false;

/** LORALAB_WASM_THREADS (1 = the single-threaded build), default one thread per core. */
function requestedWasmThreads(): number {
  const raw = process.env[THREADS_VAR];
  if (!raw) return os.cpus().length;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new BackendError(`${THREADS_VAR} must be a whole number ≥ 1 (1 = single-threaded wasm); got '${raw}'`, 'BAD_BACKEND_PREFERENCE');
  }
  return n;
}

async function tryWasm(): Promise<Attempt> {
  let dist: string;
  try {
    // Resolved from this module, not resolveFrom: the .wasm files must match
    // the tfjs-backend-wasm JavaScript imported above.
    dist = path.dirname(createRequire(__filename).resolve(WASM_PACKAGE));
  } catch (err) {
    return { ok: false, package: WASM_PACKAGE, reason: `${WASM_PACKAGE} is not installed: ${firstLine(err)}` };
  }
  const binary = path.join(dist, 'tfjs-backend-wasm.wasm');
  if (!existsSync(binary)) {
    return { ok: false, package: WASM_PACKAGE, reason: `${WASM_PACKAGE} is missing its binary ${binary}` };
  }
  if (!wasmPathsSet) {
    // A file-system prefix: in Node the emscripten loader reads it with fs, so
    // nothing is fetched. It may be set only once, before the first init.
    setWasmPaths(dist + path.sep);
    wasmPathsSet = true;
  }
  if (!wasmThreadsTried) {
    wasmThreadsTried = true;
    const threads = requestedWasmThreads();
    if (threads > 1) {
      try {
        wasmThreads = (await initThreadedWasm(tfjs, threads))?.threads ?? 1;
      } catch (err) {
        // The single-threaded build below still works; say why the cores stay idle.
        console.warn(`LoRA Lab: the threaded wasm backend could not start (${firstLine(err)}); using one thread`);
        wasmThreads = 1;
      }
    }
  }
  const problem = await activate(tfjs, 'wasm');
  if (!problem) {
    installSharingIdentity(tfjs);
    installWasmBatchMatMul(tfjs);
    installSoftmaxXentGrad(tfjs, 'wasm');
    installSoftmaxXentGrad(tfjs, 'cpu');
    installEmbeddingGrad(tfjs, 'wasm');
    installEmbeddingGrad(tfjs, 'cpu');
  }
  return problem ? { ok: false, package: WASM_PACKAGE, reason: `${WASM_PACKAGE} ${problem}` } : { ok: true, package: WASM_PACKAGE, tf: tfjs };
}

async function tryBuiltin(backend: 'cpu'): Promise<Attempt> {
  const problem = await activate(tfjs, backend);
  if (!problem) {
    installSoftmaxXentGrad(tfjs, backend);
    installEmbeddingGrad(tfjs, backend);
  }
  return problem ? { ok: false, package: null, reason: `the ${backend} backend ${problem}` } : { ok: true, package: null, tf: tfjs };
}

/** Switches tf to `backend` and runs a tiny matMul; returns what went wrong, or null. */
async function activate(tf: Tf, backend: string): Promise<string | null> {
  try {
    if (!(await tf.setBackend(backend))) return `failed to initialize (tfjs logged the cause above)`;
    await tf.ready();
    // A backend can initialize and still compute garbage (a wrong .wasm for the
    // JS, a broken kernel build); a known product catches that before training.
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6], [2, 1])));
    const values = Array.from(await y.data());
    y.dispose();
    if (values[0] !== 17 || values[1] !== 39) return `computed a wrong check product ([${values.join(', ')}], expected [17, 39])`;
    return null;
  } catch (err) {
    return `failed its check: ${firstLine(err)}`;
  }
}

function isNotInstalled(err: unknown, pkg: string): boolean {
  // MODULE_NOT_FOUND for a dependency *inside* the package (or its native
  // binding) means installed-but-broken, so the missing name must be pkg itself.
  return (err as { code?: unknown })?.code === 'MODULE_NOT_FOUND' && firstLine(err).startsWith(`Cannot find module '${pkg}'`);
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0]!.trim();
}

/** The nearest folder above this module with a package.json: LoRA Lab's root in src/ and in dist/. */
function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return __dirname;
    dir = parent;
  }
}

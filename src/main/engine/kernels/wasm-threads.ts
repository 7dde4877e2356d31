// The threaded SIMD build of the wasm backend under Node. tfjs-backend-wasm
// 4.22.0 ships tfjs-backend-wasm-threaded-simd.wasm but only uses it in browsers;
// in Node four things stand in the way, each worked around here and each tied to
// that release's bundled emscripten glue (package.json pins the version):
//
// 1. The WASM_HAS_MULTITHREAD_SUPPORT flag is false whenever Node is detected
//    (tfjs issue #3830); it is set true before the backend initialises.
// 2. The pthread worker script is handed to `new Worker` as a Blob URL, which
//    Node's worker_threads cannot load: it is written to a real file instead.
// 3. Inside the worker, the main script is again read from a Blob and refers to
//    names of the rollup bundle it came from (require$$0…, commonjsGlobal,
//    _scriptDir, __dirname): the worker file defines them and loads the main
//    script from a second real file.
// 4. The C++ side sizes its thread pool as navigator.hardwareConcurrency / 2
//    (emscripten_num_logical_cores, "x86 has 2 threads per core"), i.e. 1 on a
//    2-core machine: os.cpus() reports twice the cores while the module starts.
//
// The pool's workers would keep the process alive, so they are unref'd; the
// eight workers emscripten pre-spawns beyond the pool are terminated. XNNPACK
// splits a product into the same tiles whatever the thread count, so results are
// bit-identical to the single-threaded build (checked by kernels.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Tf } from '../backend';

/** The release whose bundled glue the workarounds below were written against. */
export const THREADED_WASM_VERSION = '4.22.0';

/** What tfjs passes to emscripten for the worker and the main script (captured Blob parts). */
const WORKER_MARK = '"use strict";var Module={};';
const MAIN_MARK = 'var WasmBackendModuleThreadedSimd = ';

/** The Blob-URL branch of the worker's "load" command, replaced by a read of our file. */
const WORKER_LOAD = 'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

interface PThreadApi {
  runningWorkers: { unref(): void }[];
  unusedWorkers: { terminate(): void }[];
}

export interface ThreadedInit {
  /** Threads in XNNPACK's pool after initialisation (1 means the threaded build gave no second thread). */
  threads: number;
}

/**
 * Initialises tf's 'wasm' backend with the threaded SIMD binary and `threads`
 * threads (default: every core). Returns null if the threaded build cannot run
 * here (no SharedArrayBuffer, no SIMD); then nothing has been changed.
 */
export async function initThreadedWasm(tf: Tf, threads = os.cpus().length): Promise<ThreadedInit | null> {
  if (typeof SharedArrayBuffer === 'undefined' || !(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) return null;
  const pkg = createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  if (version !== THREADED_WASM_VERSION) {
    // Another release's glue may differ anywhere; a worker that fails to load would crash the process.
    throw new Error(`@tensorflow/tfjs-backend-wasm ${version} is installed; the threaded loader supports ${THREADED_WASM_VERSION} only`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loralab-wasm-threads-'));
  const workerFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  const mainFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const captured = new WeakMap<Blob, string>();
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = URL.createObjectURL;
  const originalCpus = os.cpus;
  let workerWritten = false;

  class CapturingBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (parts?.length === 1 && typeof parts[0] === 'string') {
        const text = parts[0];
        captured.set(this, text);
        if (text.startsWith(MAIN_MARK)) writeFileSync(mainFile, text);
      }
    }
  }
  const createObjectURL = (blob: Blob): string => {
    const text = captured.get(blob);
    if (text === undefined || !text.startsWith(WORKER_MARK)) return originalCreateObjectURL(blob);
    if (!workerWritten) {
      // tfjs escaped newlines for the Blob ("\\n"); the file is read as source, so that is what it must contain.
      if (!text.includes(WORKER_LOAD)) throw new Error('tfjs-backend-wasm worker script is not the 4.22.0 one this loader was written for');
      writeFileSync(workerFile, workerPreamble(mainFile) + text.replace(WORKER_LOAD, `importScripts(${JSON.stringify(mainFile)});`));
      workerWritten = true;
    }
    return workerFile;
  };

  const cores = originalCpus.call(os);
  const wanted = Math.max(1, Math.min(threads, 8));
  globalThis.Blob = CapturingBlob as typeof Blob;
  URL.createObjectURL = createObjectURL;
  // num_cores = reported / 2, then the pool is min(requested, num_cores).
  os.cpus = () => Array.from({ length: 2 * wanted }, (_, i) => cores[i % cores.length]!);
  const previousFlag = tf.env().getFlags()['WASM_HAS_MULTITHREAD_SUPPORT'];
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the threaded wasm backend failed to initialise (tfjs logged the cause above)');
    await tf.ready();
  } catch (err) {
    if (previousFlag === undefined) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', previousFlag);
    throw err;
  } finally {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreateObjectURL;
    os.cpus = originalCpus;
    // Every worker has read both files by the time the module is ready.
    rmSync(dir, { recursive: true, force: true });
  }

  const wasm = (tf.backend() as unknown as { wasm: { PThread?: PThreadApi; tfjs: { getThreadsCount(): number } } }).wasm;
  const pthread = wasm.PThread;
  if (pthread) {
    for (const w of pthread.runningWorkers) w.unref();
    for (const w of pthread.unusedWorkers) w.terminate();
    pthread.unusedWorkers = [];
  }
  return { threads: wasm.tfjs.getThreadsCount() };
}

/**
 * Names the main script expects from the rollup bundle of
 * tfjs-backend-wasm.node.js (`var require$$0 = require('fs')` …) and from a
 * CommonJS module scope; the worker evaluates that script at global scope.
 */
function workerPreamble(mainFile: string): string {
  return [
    'global.require$$0=require("fs");',
    'global.require$$1=require("path");',
    'global.require$$3=require("perf_hooks");',
    'global.require$$4=require("os");',
    'global.commonjsGlobal=globalThis;',
    `global._scriptDir=${JSON.stringify(mainFile)};`,
    `global.__filename=${JSON.stringify(mainFile)};`,
    `global.__dirname=${JSON.stringify(path.dirname(mainFile))};`,
    '',
  ].join('');
}

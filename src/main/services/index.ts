// Composes the services behind the IPC contract: one registry, one supervisor
// (training runs), one jobs service (merge, generate, eval), the doctor, one
// event hub, the metrics tail and the router. Electron main and the `loralab ui`
// server each create exactly one of these, as do the CLI commands that need a
// registry. Nothing here loads tfjs: every model runs in an engine process.
import type { Router } from './router';
import { createRouter } from './router';
import { DoctorService } from './doctor';
import { EventHub } from './event-hub';
import { createHandlers } from './handlers';
import { JobsService } from './jobs';
import { MetricsTail } from './metrics-tail';
import { engineEntry } from './paths';
import { PreviewService } from './preview';
import { RunsService } from './runs';
import { reconcileOrphans, Supervisor } from './supervisor';
import { openRegistry, defaultRegistryPath, type Registry } from '../registry/index';

/** What only a desktop shell can do; absent under `loralab ui` (the browser answers "not supported"). */
export interface DesktopHooks {
  /** Reveals the path in the system file manager; false when it does not exist. */
  showInFolder(path: string): boolean;
  /** A native folder dialog; null when cancelled. */
  pickFolder(): Promise<string | null>;
}

export interface ServicesOptions {
  registryPath?: string;
  /** Backend preference for engines and doctor ('auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu'). */
  backend?: string;
  /** Base folder for relative paths in configs started through the contract. */
  baseDir?: string;
  desktop?: DesktopHooks;
  /** The engine entry to fork (default dist/engine.cjs). */
  engineEntry?: string;
}

export interface Services {
  registry: Registry;
  hub: EventHub;
  supervisor: Supervisor;
  runs: RunsService;
  jobs: JobsService;
  doctor: DoctorService;
  /** data.preview, answered by an engine process kept warm for it. */
  preview: PreviewService;
  router: Router;
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions = {}): Services {
  const registry = openRegistry(options.registryPath ?? defaultRegistryPath());
  reconcileOrphans(registry);
  const entry = options.engineEntry ?? engineEntry();
  const hub = new EventHub();
  const supervisor = new Supervisor({ registry, hub, engineEntry: entry, backend: options.backend });
  const runs = new RunsService(registry, supervisor, hub);
  const jobs = new JobsService({ registry, hub, engineEntry: entry, backend: options.backend });
  const doctor = new DoctorService({ engineEntry: entry, registryPath: registry.path, backend: options.backend });
  const preview = new PreviewService({ engineEntry: entry });
  const tail = new MetricsTail(registry, hub);
  tail.start();
  const parts = { registry, hub, supervisor, runs, jobs, doctor, preview };
  const router = createRouter(createHandlers(parts, options.baseDir ?? process.cwd(), options.desktop));

  return {
    ...parts,
    router,
    async close() {
      tail.poll();
      tail.stop();
      await Promise.all([supervisor.shutdown(), jobs.shutdown(), preview.shutdown()]);
      registry.close();
    },
  };
}

/**
 * Only the jobs service, without a registry: what `loralab eval` and `loralab
 * generate` need (a model runs in an engine process, exactly as under the UI).
 */
export function createJobServices(options: Pick<ServicesOptions, 'backend' | 'engineEntry'> = {}): { hub: EventHub; jobs: JobsService; close(): Promise<void> } {
  const hub = new EventHub();
  const jobs = new JobsService({ registry: null, hub, engineEntry: options.engineEntry ?? engineEntry(), backend: options.backend });
  return { hub, jobs, close: () => jobs.shutdown() };
}

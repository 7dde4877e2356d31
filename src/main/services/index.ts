// Composes the services behind the IPC contract: one registry, one supervisor,
// one event hub, the metrics tail and the router. The CLI, Electron main and the
// `loralab ui` server each create exactly one of these.
import type { Handlers, Router } from './router';
import { createRouter } from './router';
import { EventHub } from './event-hub';
import { MetricsTail } from './metrics-tail';
import { engineEntry, resourcesDir } from './paths';
import { RunsService, resolveConfigPaths, skeletonConfigPath } from './runs';
import { reconcileOrphans, Supervisor } from './supervisor';
import { readRunConfigFile } from './config-file';
import { openRegistry, defaultRegistryPath, type Registry } from '../registry/index';
import { selectBackend, doctorReport } from '../engine/backend';
import { toContractPoint } from '../../shared/ipc/schemas';

export interface ServicesOptions {
  registryPath?: string;
  /** Backend preference for engines and doctor ('auto' | 'tensorflow' | 'wasm' | 'cpu'). */
  backend?: string;
  /** Base folder for relative paths in configs started through the contract. */
  baseDir?: string;
}

export interface Services {
  registry: Registry;
  hub: EventHub;
  supervisor: Supervisor;
  runs: RunsService;
  router: Router;
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions = {}): Services {
  const registry = openRegistry(options.registryPath ?? defaultRegistryPath());
  reconcileOrphans(registry);
  const hub = new EventHub();
  const supervisor = new Supervisor({ registry, hub, engineEntry: engineEntry(), backend: options.backend });
  const runs = new RunsService(registry, supervisor, hub);
  const tail = new MetricsTail(registry, hub);
  tail.start();
  const baseDir = options.baseDir ?? process.cwd();

  const handlers: Handlers = {
    'runs.list': () => runs.list(),
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.metrics': ({ runId, afterStep }) => {
      runs.get(runId); // NOT_FOUND for an unknown run rather than an empty curve
      return registry.metrics.forRun(runId, afterStep === undefined ? {} : { afterStep }).map(toContractPoint);
    },
    'runs.start': ({ config }) => runs.start(config, baseDir),
    'runs.stop': ({ runId }) => runs.stop(runId),
    'runs.resume': ({ runId }) => runs.resume(runId),
    'runs.defaultConfig': () => {
      const file = skeletonConfigPath(resourcesDir());
      const { config, baseDir: dir } = readRunConfigFile(file);
      return { config: resolveConfigPaths(config, dir) as unknown as Record<string, unknown> };
    },
    'system.doctor': async () => doctorReport(await selectBackend({ prefer: options.backend }), registry.path),
  };

  return {
    registry,
    hub,
    supervisor,
    runs,
    router: createRouter(handlers),
    async close() {
      tail.poll();
      tail.stop();
      await supervisor.shutdown();
      registry.close();
    },
  };
}

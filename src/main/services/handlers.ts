// One handler per contract channel, each a thin call into a service. The router
// (router.ts) has validated the request before a handler runs and validates the
// response after.
import { dirname } from 'node:path';
import { toContractValues } from '../../shared/ipc/metric-series';
import { exportJob, importJob } from './cluster/index';
import type { DesktopHooks, Services } from './index';
import { inspectFromRequest } from './inspect';
import { SeriesCache } from './series-cache';
import type { Handlers } from './router';
import { configDefaults, listModels } from './workbench';

export function createHandlers(s: Omit<Services, 'router' | 'close'>, baseDir: string, desktop: DesktopHooks | undefined): Handlers {
  const { registry, runs, jobs, doctor } = s;
  const seriesCache = new SeriesCache();
  return {
    'runs.list': () => runs.list(),
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.metrics': ({ runId, afterStep, names, maxPoints }) => {
      const run = runs.require(runId); // NOT_FOUND for an unknown run rather than an empty curve
      const req = { ...(afterStep === undefined ? {} : { afterStep }), ...(names ? { names } : {}), ...(maxPoints === undefined ? {} : { maxPoints }) };
      return seriesCache.get(run, req, () => registry.metrics.series(runId, req).map((c) => ({ ...c, values: toContractValues(c.values) })));
    },
    'runs.start': ({ config }) => runs.start(config, baseDir),
    'runs.stop': ({ runId }) => runs.stop(runId),
    'runs.resume': ({ runId }) => runs.resume(runId),
    'runs.delete': ({ runId }) => runs.delete(runId),
    'runs.setTags': ({ runId, tags }) => runs.setTags(runId, tags),
    'runs.ranks': ({ runId }) => runs.ranks(runId),

    'config.defaults': () => configDefaults(),
    'models.list': () => listModels(registry),
    'data.preview': (req) => s.preview.preview(req),
    'inspect.run': (req) => inspectFromRequest(req),

    'merge.start': (req) => jobs.merge(req),
    'generate.start': (req) => jobs.generate(req),
    'eval.start': (req) => jobs.eval(req),
    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ jobId }) => jobs.cancel(jobId),

    'system.doctor': () => doctor.report(),
    'system.showInFolder': ({ path }) => ({ opened: desktop ? desktop.showInFolder(path) : false, path }),
    'system.pickFolder': async () => (desktop ? { path: await desktop.pickFolder(), supported: true } : { path: null, supported: false }),

    // Relative job folders are LoRA Lab's own: beside the registry, where runs/ is.
    'cluster.exportJob': ({ runId, ...options }) => exportJob(registry, { ...options, source: runId }, dirname(registry.path)),
    'cluster.importJob': ({ dir }) => {
      const result = importJob(registry, dir, dirname(registry.path));
      s.hub.emit('onRunStatus', { runId: result.runId, status: result.status, error: null });
      return result;
    },
  };
}

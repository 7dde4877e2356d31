// The cluster services as the CLI and the contract call them: each opens the
// registry, does its work and closes it (export reads it only for a run id or an
// init_from run id; import writes one run).
import { defaultRegistryPath, openRegistry, type Registry } from '../../registry/index';
import { exportJob, type ExportJobOptions, type ExportJobResult } from './export-job';
import { importJob, type ImportJobResult } from './import-job';

export { exportJob, importJob, type ExportJobOptions, type ExportJobResult, type ImportJobResult };
export { STRATEGIES, type Strategy } from './hf-settings';

function withRegistry<T>(registryPath: string | undefined, work: (registry: Registry) => T): T {
  const registry = openRegistry(registryPath ?? defaultRegistryPath());
  try {
    return work(registry);
  } finally {
    registry.close();
  }
}

export const exportJobAt = (registryPath: string | undefined, options: ExportJobOptions, baseDir?: string): ExportJobResult =>
  withRegistry(registryPath, (r) => exportJob(r, options, baseDir));

export const importJobAt = (registryPath: string | undefined, dir: string, baseDir?: string): ImportJobResult =>
  withRegistry(registryPath, (r) => importJob(r, dir, baseDir));

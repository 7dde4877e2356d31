// The doctor for the CLI: `loralab doctor` is itself a short-lived process, so it
// selects the backend in place (an engine would start the same tfjs); Electron
// main and the ui server ask an engine instead (doctor.ts). tfjs is imported
// only when this runs.
import type { DoctorReport } from '../../shared/ipc/schemas';
import { defaultRegistryPath } from '../registry/paths';

export async function localDoctor(options: { backend?: string; registryPath?: string }): Promise<DoctorReport> {
  const { doctorReport, selectBackend } = await import('../engine/backend');
  return doctorReport(await selectBackend({ prefer: options.backend }), options.registryPath ?? defaultRegistryPath());
}

// The doctor job: which backend an engine process gets on this machine and why.
// Asked of an engine (never in main or the ui server) because selecting a
// backend loads tfjs, and tfjs-node-gpu's native code when it is installed.
import type { DoctorReport } from '../../../shared/ipc/schemas';
import { doctorReport, selectBackend } from '../backend';
import type { DoctorJob } from '../protocol';

export async function doctorJob(job: DoctorJob): Promise<DoctorReport> {
  return doctorReport(await selectBackend({ prefer: job.backend }), job.registryPath);
}

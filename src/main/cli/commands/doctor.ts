// `loralab doctor [--json]`: which tfjs backend the engine will use and why,
// with versions, GPU presence, CPU count, memory and the registry path.
import type { DoctorReport } from '../../../shared/ipc/schemas';
import { adapterLimits, describeAdapter } from '../../../shared/webgpu-adapter';
import { localDoctor } from '../../services/system';
import { flag, str, type Parsed } from '../args';

export async function doctor(args: Parsed): Promise<number> {
  const report = await localDoctor({ backend: str(args, 'backend'), registryPath: str(args, 'registry') });
  if (flag(args, 'json')) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(formatDoctor(report));
  return 0;
}

export function formatDoctor(r: DoctorReport): string {
  const gib = (r.memoryBytes / 2 ** 30).toFixed(1);
  const lines = [
    `backend      ${r.backend}${r.gpu.available ? ` (GPU, ${r.gpu.package})` : ''}`,
    `tfjs         ${r.tfjsVersion}`,
    `gpu          ${r.gpu.available ? 'yes' : 'no'}`,
    ...(r.webgpu ? [`adapter      ${describeAdapter(r.webgpu)}`, `limits       ${adapterLimits(r.webgpu)}`] : []),
    `cpus         ${r.cpus}`,
    `memory       ${gib} GiB`,
    `registry     ${r.registryPath}`,
    `node         ${r.node} (${r.platform})`,
  ];
  for (const f of r.fallbacks) lines.push(`not used     ${f.package ?? f.backend}: ${f.reason}`);
  return lines.join('\n') + '\n';
}

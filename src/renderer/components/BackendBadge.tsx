// Which tfjs backend the engine uses, in the header. When a GPU package is
// installed but failed to load (a missing CUDA or cuDNN library), says why and
// which backend took over, instead of leaving the researcher to wonder why
// training is slow. On webgpu it names the adapter, and says so when that is a
// software rasterizer (a CPU emulation of a GPU, e.g. Mesa's llvmpipe).
import { useEffect, useState } from 'react';
import type { DoctorReport } from '../../shared/ipc/schemas';
import { adapterLimits, adapterName, describeAdapter } from '../../shared/webgpu-adapter';
import { client } from '../api/client';

export function BackendBadge() {
  const [report, setReport] = useState<DoctorReport | null>(null);
  useEffect(() => {
    let live = true;
    client.request('system.doctor', {}).then(
      (r) => live && setReport(r),
      () => undefined, // the connection notice already explains a dead server
    );
    return () => {
      live = false;
    };
  }, []);
  if (!report) return null;
  const broken = report.fallbacks.filter((f) => / failed to load/.test(f.reason));
  const adapter = report.webgpu;
  const details = [...(adapter ? [describeAdapter(adapter), adapterLimits(adapter)] : []), ...report.fallbacks.map((f) => f.reason)];
  return (
    <span className="backend" data-testid="backend" data-backend={report.backend} title={details.join('\n')}>
      backend: <strong>{report.backend}</strong>
      {report.gpu.available ? ' (GPU)' : ''}
      {adapter && (
        <span data-testid="backend-adapter">
          {' '}
          on {adapterName(adapter)}
          {adapter.software ? ' (CPU emulation)' : ''}
        </span>
      )}
      {broken.map((f) => (
        <span key={f.package ?? f.backend} className="backend-warning" data-testid="backend-warning">
          {f.reason}; using {report.backend} instead
        </span>
      ))}
    </span>
  );
}

// Refuses an adapter file holding NaN or ±Infinity, naming the file and tensor.
// Such an adapter makes every logit NaN, so an eval would report loss null and a
// generate garbage with no word of why; PEFT's safe_merge refuses the same values.
import { join } from 'node:path';
import type { SafetensorsFile } from '../io/safetensors/index';
import { ADAPTER_WEIGHTS, AdapterError } from './peft-files';

/** Throws for the first non-finite value of any tensor in an opened adapter_model.safetensors. */
export function assertFiniteAdapter(dir: string, weights: SafetensorsFile): void {
  for (const t of weights.header.tensors.values()) {
    const data = weights.readFloat32(t.name);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) {
        throw new AdapterError(
          `${join(dir, ADAPTER_WEIGHTS)}: tensor "${t.name}" has ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i} (not finite); the adapter is unusable`,
        );
      }
    }
  }
}

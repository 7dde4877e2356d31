// The weight deltas of PEFT adapters, computed from their files without tfjs, in
// the base checkpoint's layout (peft/tuners/lora/layer.py merge/unmerge/get_delta_weight; peft/tuners/adalora/layer.py):
//   LoRA      ΔW = scaling · B·A            [out, in]   (scaling = α/r, or α/√r with rsLoRA)
//   AdaLoRA   ΔW = α/(init_r + 1e-5) · B·(A ⊙ E)   (E folded into A by the AdaLoRA method)
//   Conv1D    the transpose, [in, out] (fan_in_fan_out)
// Several adapters combine as Σ wᵢ·ΔWᵢ (a weighted merge; w = −1 unmerges).
import type { DeltaFactors } from '../adapters/method';
import { AdapterError, openAdapterWeights, readAdapterConfig } from '../adapters/peft-files';
import { methodForPeftType } from '../adapters/registry';

export interface AdapterInput {
  dir: string;
  /** Multiplier of this adapter's delta (1 to merge, −1 to unmerge). */
  weight: number;
}

type Factor = DeltaFactors & { coefficient: number }; // weight · scaling

/** Per module path, the low-rank factors of every adapter that touches it, read by each adapter's method. */
export class AdapterDeltas {
  private readonly byModule = new Map<string, Factor[]>();
  readonly adapters: { dir: string; peftType: string; config: Record<string, unknown> }[] = [];

  constructor(inputs: readonly AdapterInput[]) {
    for (const input of inputs) this.add(input);
  }

  private add({ dir, weight }: AdapterInput): void {
    const config = readAdapterConfig(dir);
    const method = methodForPeftType(config.peft_type);
    if (!method?.deltaFactors) throw new AdapterError(`${dir}: peft_type "${config.peft_type}" cannot be merged (LORA or ADALORA)`);
    if (config.use_dora === true) throw new AdapterError(`${dir}: DoRA adapters cannot be merged here`);
    this.adapters.push({ dir, peftType: config.peft_type, config });
    const file = openAdapterWeights(dir);
    try {
      for (const f of method.deltaFactors(dir, config, file)) {
        if (!this.byModule.has(f.module)) this.byModule.set(f.module, []);
        this.byModule.get(f.module)!.push({ ...f, coefficient: weight * f.scaling });
      }
    } finally {
      file.close();
    }
  }

  modules(): string[] {
    return [...this.byModule.keys()];
  }

  /**
   * Adds every delta for `module` into `weight` (float32, the checkpoint's layout),
   * accumulating each element in float64 before rounding once.
   */
  applyTo(module: string, weight: Float32Array, shape: readonly number[], conv1d: boolean): boolean {
    const factors = this.byModule.get(module);
    if (!factors) return false;
    for (const f of factors) {
      const [rows, cols] = conv1d ? [f.inF, f.outF] : [f.outF, f.inF];
      if (shape[0] !== rows || shape[1] !== cols) {
        throw new AdapterError(`adapter for "${module}" is ${f.inF} → ${f.outF}, but the base weight has shape [${shape}]`);
      }
      // Fold the coefficient into B once: B'[o][k] = coefficient · B[o][k].
      const b = new Float64Array(f.outF * f.r);
      for (let o = 0; o < f.outF; o++) {
        for (let k = 0; k < f.r; k++) b[o * f.r + k] = f.coefficient * f.b[o * f.r + k]!;
      }
      for (let o = 0; o < f.outF; o++) {
        for (let i = 0; i < f.inF; i++) {
          let d = 0;
          for (let k = 0; k < f.r; k++) d += b[o * f.r + k]! * f.a[k * f.inF + i]!;
          const at = conv1d ? i * f.outF + o : o * f.inF + i;
          weight[at] = weight[at]! + d;
        }
      }
    }
    return true;
  }
}

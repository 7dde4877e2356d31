// The weight deltas of PEFT adapters, computed from their files without tfjs, in
// the base checkpoint's layout (peft/tuners/lora/layer.py merge/unmerge/get_delta_weight; peft/tuners/adalora/layer.py):
//   LoRA      ΔW = scaling · B·A            [out, in]   (scaling = α/r, or α/√r with rsLoRA)
//   AdaLoRA   ΔW = α/(init_r + 1e-5) · B·(A ⊙ E)
//   Conv1D    the transpose, [in, out] (fan_in_fan_out)
// Several adapters combine as Σ wᵢ·ΔWᵢ (a weighted merge; w = −1 unmerges).
import { readAdapterConfig, openAdapterWeights, groupByModule, num, patternValue, AdapterError } from '../adapters/peft-files';
import { loraScaling } from '../adapters/lora/layer';
import { adaloraScaling } from '../adapters/adalora/layer';

export interface AdapterInput {
  dir: string;
  /** Multiplier of this adapter's delta (1 to merge, −1 to unmerge). */
  weight: number;
}

interface Factor {
  a: Float32Array; // [r, in]
  b: Float32Array; // [out, r]
  e: Float32Array | null; // [r] (AdaLoRA)
  r: number;
  inF: number;
  outF: number;
  coefficient: number; // weight · scaling
}

/** Per module path, the low-rank factors of every adapter that touches it. */
export class AdapterDeltas {
  private readonly byModule = new Map<string, Factor[]>();
  readonly adapters: { dir: string; peftType: string; config: Record<string, unknown> }[] = [];

  constructor(inputs: readonly AdapterInput[]) {
    for (const input of inputs) this.add(input);
  }

  private add({ dir, weight }: AdapterInput): void {
    const config = readAdapterConfig(dir);
    const ada = config.peft_type === 'ADALORA';
    if (!ada && config.peft_type !== 'LORA') throw new AdapterError(`${dir}: peft_type "${config.peft_type}" cannot be merged (LORA or ADALORA)`);
    if (config.use_dora === true) throw new AdapterError(`${dir}: DoRA adapters cannot be merged here`);
    this.adapters.push({ dir, peftType: config.peft_type, config });
    const file = openAdapterWeights(dir);
    try {
      const suffixes = ada ? ['lora_A', 'lora_B', 'lora_E'] : ['lora_A.weight', 'lora_B.weight'];
      for (const [module, keys] of groupByModule(file.header.tensors.keys(), suffixes)) {
        const aKey = keys.get(suffixes[0]!);
        const bKey = keys.get(suffixes[1]!);
        if (!aKey || !bKey) throw new AdapterError(`${dir}: module "${module}" lacks lora_A or lora_B`);
        const [r, inF] = file.header.tensors.get(aKey)!.shape as [number, number];
        const outF = file.header.tensors.get(bKey)!.shape[0]!;
        let scaling: number;
        if (ada) scaling = adaloraScaling(num(config, 'lora_alpha', 8), num(config, 'init_r', 12));
        else {
          const rank = patternValue(config.rank_pattern as Record<string, number>, module) ?? num(config, 'r', 8);
          const alpha = patternValue(config.alpha_pattern as Record<string, number>, module) ?? num(config, 'lora_alpha', 8);
          scaling = loraScaling(alpha, rank, config.use_rslora === true);
        }
        const factor: Factor = {
          a: file.readFloat32(aKey),
          b: file.readFloat32(bKey),
          e: ada ? file.readFloat32(keys.get('lora_E')!) : null,
          r,
          inF,
          outF,
          coefficient: weight * scaling,
        };
        if (!this.byModule.has(module)) this.byModule.set(module, []);
        this.byModule.get(module)!.push(factor);
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
      // Fold E and the coefficient into B once: B'[o][k] = coefficient · B[o][k] · E[k].
      const b = new Float64Array(f.outF * f.r);
      for (let o = 0; o < f.outF; o++) {
        for (let k = 0; k < f.r; k++) b[o * f.r + k] = f.coefficient * f.b[o * f.r + k]! * (f.e ? f.e[k]! : 1);
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

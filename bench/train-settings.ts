// The fixed settings of bench/train.ts (LoRA training throughput against PyTorch),
// shared by its parts: the timed trainer (bench/train.ts), the forward/backward
// diagnostics (bench/train-diagnostics.ts) and the report (bench/train-report.ts).
// What can change per run (--backend, --runs, --batch) is parsed in bench/train.ts.
export const COMMAND = 'npx tsx bench/train.ts';
export const SEQ = 256;
export const WARMUP = 1;
export const TORCH_WARMUP = 2;
export const TORCH_RUNS = 10;
export const DIAG_RUNS = 2; // forward-only and forward+backward, each; the median is reported
export const THREADS = 2;
export const LR = 1e-3;
export const LORA = { r: 8, alpha: 16, dropout: 0, targets: ['q_proj', 'v_proj'] };

// Every command's usage text: `loralab --help` prints the summary, `loralab <cmd>
// --help` (or a usage error in it) that command's own block. Kept apart from the
// command modules so printing help loads nothing.
const COMMON = `common options: --registry <file>  --backend auto|tensorflow|webgpu|wasm|cpu  --help`;

export const COMMAND_USAGE: Record<string, { summary: string; usage: string }> = {
  doctor: {
    summary: 'doctor [--json]                         backend in use, versions, GPU, paths',
    usage: `usage: loralab doctor [--json]

  Which tfjs backend an engine process gets on this machine and why (versions,
  GPU, CPU count, memory, the registry path), and why any faster backend is not used.
`,
  },
  inspect: {
    summary: 'inspect <model|preset> [options]        adapter size and training memory (reads headers only)',
    usage: `usage: loralab inspect <model-dir|preset> [options]

  --method lora|qlora|adalora   (default lora)
  --rank R                      LoRA r; AdaLoRA init_r (default 8; AdaLoRA 12)
  --target-rank R               AdaLoRA target_r (default 8)
  --alpha A                     lora_alpha (default 16)
  --targets a,b|/regex/|all-linear   modules to adapt (default: PEFT's for the model type)
  --rslora                      scaling alpha/sqrt(r)
  --batch-size B  --seq-len T   for the memory estimate
  --json                        one JSON object (the same report as the Inspect screen)
`,
  },
  eval: {
    summary: 'eval --model DIR --data FILE [options]  mean next-token loss and perplexity',
    usage: `usage: loralab eval --model DIR --data FILE.jsonl [options]

  --adapter DIR                 a PEFT adapter folder to attach
  --batch-size N                sequences per forward pass (default 8)
  --quantize nf4 [--double-quant]   run the base as QLoRA trains it (NF4, block 64)
  --exact-match N               also answer the first N chat rows greedily and count the
                                answers equal to the row's assistant turn
  --json                        print {loss, perplexity, tokens[, exactMatch]}
`,
  },
  generate: {
    summary: 'generate --model DIR --prompt TEXT      stream a completion (chat template applied)',
    usage: `usage: loralab generate --model DIR --prompt TEXT [options]

  --adapter DIR                 a PEFT adapter folder to attach
  --raw                         send the prompt as it is (default: the model's chat template,
                                one user turn and the generation prompt, as training encodes it)
  --max-new-tokens N (64)  --temperature T (0 = greedy)  --top-p P (1)  --seed S (0)
  --quantize nf4 [--double-quant]   run the base as QLoRA trains it
  --json                        print {prompt, text, tokens, promptTokens, seconds, ...} at the end
`,
  },
  train: {
    summary: 'train <config.(yaml|json)> [--json]     train a run and record it in the registry',
    usage: `usage: loralab train <config.(yaml|json)> [--json]

  Records a run, trains it in an engine process with a progress bar on stderr
  (Ctrl-C stops after the current step, with a checkpoint; twice kills), and prints
  the run id (or one JSON object with --json).
`,
  },
  resume: {
    summary: 'resume <run-id|checkpoint-dir> [--json] continue a stopped or crashed run exactly',
    usage: `usage: loralab resume <run-id|checkpoint-dir> [--json]

  Continues a stopped, crashed or failed run from its newest checkpoint (or the
  given one): weights, optimizer, schedule, RNG, data position and step.
`,
  },
  runs: {
    summary: 'runs list|show|stop|delete|tag ...      the runs in the registry',
    usage: `usage: loralab runs <list|show|stop|delete|tag> [args] [--json]

  runs list                     every run, newest first
  runs show <id>                config, lineage, checkpoints, artifacts, AdaLoRA ranks
  runs stop <id>                stop a running run, whoever started it
  runs delete <id>              remove a finished run's records and its run folder
  runs tag <id> [tag ...]       set a run's tags (none clears them)
`,
  },
  merge: {
    summary: 'merge --base DIR --adapter DIR --out DIR merge adapters into a model folder, verified',
    usage: `usage: loralab merge --base DIR --adapter DIR[,DIR...] --out DIR [options]

  --weights w,w                 one weight per adapter (W' = W + sum w_i dW_i; default 1)
  --unmerge                     subtract the adapter(s) instead
  --dtype float32|float16|bfloat16   (default float32)
  --max-shard-size 5GB          start a new shard past this size
  --no-verify                   skip the logit check of merged vs base + adapter
  --qlora-base dequantized|original
                                a QLoRA adapter was trained on the NF4 base: merge it into that
                                base dequantized (the merged model computes what was trained; every
                                block linear weight becomes its NF4 value) or into the original
                                full-precision weights (keeps the base's precision; differs from the
                                trained model by the quantization error). Either way the logit error
                                against the NF4 base + unmerged adapter is reported and stored in
                                qlora_merge.json (quantization from the adapter's run, else NF4,
                                block 64, double quant)
  --json                        print the merge result with its verification
`,
  },
  demo: {
    summary: 'demo [--steps N] [--json]               LoRA on the bundled model: before/after, merge',
    usage: `usage: loralab demo [--steps N] [--json]

  Teaches the bundled lab-tiny-llama to write numbers in words with LoRA: held-out
  exact-match accuracy, eval loss and sample answers before and after, the adapter's
  size, and a verified merge.
`,
  },
};

/** `loralab --help`: one line per command (commands that print their own help add theirs). */
export function summaryUsage(extra: readonly string[] = []): string {
  const lines = [...Object.values(COMMAND_USAGE).map((c) => c.summary), ...extra];
  return `usage: loralab <command> [options]   (loralab <command> --help for its options)\n\n${lines.map((l) => `  ${l}`).join('\n')}\n\n${COMMON}\n`;
}

export function commandUsage(command: string): string {
  const c = COMMAND_USAGE[command];
  return c ? `${c.usage}\n${COMMON}\n` : summaryUsage();
}

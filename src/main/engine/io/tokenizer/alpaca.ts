// The prompt format for {"instruction","input","output"} rows: the Stanford
// Alpaca template, because most instruction datasets in that shape were
// written for it. The prompt (everything up to and including "### Response:\n")
// is masked out of the labels; the output, followed by eos, is learned.
//
//   Below is an instruction that describes a task[, paired with an input that
//   provides further context]. Write a response that appropriately completes
//   the request.
//
//   ### Instruction:
//   {instruction}
//
//   [### Input:
//   {input}
//
//   ]### Response:
//   {output}<eos>

/** The text before the output; the input block is left out when input is absent or empty. */
export function alpacaPrompt(instruction: string, input: string | null): string {
  if (input) {
    return (
      'Below is an instruction that describes a task, paired with an input that provides further context. ' +
      'Write a response that appropriately completes the request.\n\n' +
      `### Instruction:\n${instruction}\n\n### Input:\n${input}\n\n### Response:\n`
    );
  }
  return (
    'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n' +
    `### Instruction:\n${instruction}\n\n### Response:\n`
  );
}

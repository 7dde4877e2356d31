// Child process for crash.test.ts: appends metric batches to a registry until
// killed, printing each committed batch's step on stdout after its commit.
// Run: node --import tsx src/main/registry/testdata/append-loop.ts <db> <runId> <firstStep> <pointsPerBatch>
import { writeSync } from 'node:fs';
import { openRegistry } from '../index';
import { expectedValue, metricName } from './append-values';

const [path, runIdArg, firstStepArg, perBatchArg] = process.argv.slice(2);
if (!path || !runIdArg || !firstStepArg || !perBatchArg) {
  throw new Error('usage: append-loop.ts <db> <runId> <firstStep> <pointsPerBatch>');
}
const runId = Number(runIdArg);
const perBatch = Number(perBatchArg);

const reg = openRegistry(path);
// Like an engine: take the run its parent queued, or (as a resume does) claim it first.
if (reg.runs.get(runId)?.status !== 'queued') reg.runs.claim(runId);
reg.runs.markRunning(runId, process.pid);
for (let step = Number(firstStepArg); ; step++) {
  const points = Array.from({ length: perBatch }, (_, j) => ({
    step,
    name: metricName(j),
    value: expectedValue(step, j),
    wallTime: Date.now(),
  }));
  reg.metrics.append(runId, points);
  // Synchronous, so a line on the pipe always means the batch had committed.
  writeSync(1, `${step}\n`);
}

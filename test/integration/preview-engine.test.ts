// data.preview's engine (src/main/services/preview.ts): one warm process answers in
// order, leaves when idle, and a new one is forked for the next ask; an engine killed
// mid-ask fails that ask with how it died, and the next ask works again.
// Run: npm run build && node --import tsx --test test/integration/preview-engine.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PreviewService } from '../../src/main/services/preview';
import { ROOT, waitFor } from '../helpers';

const ENGINE = join(ROOT, 'dist', 'engine.cjs');
const MODEL = join(ROOT, 'resources/models/lab-tiny-llama');
const FILE = join(ROOT, 'resources/data/demo-numbers/train.jsonl');
const ask = { model: MODEL, file: FILE, maxSeqLen: 32, limit: 2 };

test('asks in flight are answered in order by one engine, which exits when idle; the next ask forks another', { timeout: 120_000 }, async () => {
  const previews = new PreviewService({ engineEntry: ENGINE, idleMs: 1500 });
  try {
    const answers = await Promise.all([8, 16, 24].map((maxSeqLen) => previews.preview({ ...ask, maxSeqLen })));
    assert.deepEqual(answers.map((a) => a.examples[0]!.tokens.length), [8, 16, 24]);
    const first = previews.pid;
    assert.ok(first !== null);
    await waitFor('the idle engine to exit', () => previews.pid === null, 20_000);
    const again = await previews.preview(ask);
    assert.equal(again.examples.length, 2);
    assert.ok(previews.pid !== null && previews.pid !== first, 'a fresh engine answered');
  } finally {
    await previews.shutdown();
  }
});

test('an engine killed during an ask fails it naming the signal; the next ask works', { timeout: 120_000 }, async () => {
  const previews = new PreviewService({ engineEntry: ENGINE });
  try {
    await previews.preview(ask); // warm
    const pid = previews.pid!;
    const inFlight = previews.preview(ask);
    process.kill(pid, 'SIGKILL');
    await assert.rejects(inFlight, /data\.preview: engine process was killed by SIGKILL/);
    const after = await previews.preview(ask);
    assert.equal(after.examples.length, 2);
  } finally {
    await previews.shutdown();
  }
  assert.equal(previews.pid, null, 'shutdown ended the engine');
});

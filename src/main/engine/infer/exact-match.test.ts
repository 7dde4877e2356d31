// Exact match counts an answer when the greedy, cached decode of the rendered
// chat prompt, trimmed, is the row's assistant turn — checked against the model's
// own greedy answer from generate() — and refuses rows it cannot judge, naming
// the file and line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../../test/helpers';
import { selectBackend } from '../backend';
import { loadTokenizer } from '../io/tokenizer/index';
import { loadModel } from '../models/load-model';
import { exactMatch, readChatRows } from './exact-match';
import { generate } from './generate';
import { encodePrompt } from './prompt';

const MODEL = join(__dirname, '..', '..', '..', '..', 'resources', 'models', 'lab-tiny-llama');
const row = (prompt: string, answer: string) => JSON.stringify({ messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }] });

test('exact match judges greedy answers to chat rows against their assistant turns', async () => {
  const { tf } = await selectBackend({ prefer: 'wasm' });
  const tok = (await loadTokenizer(MODEL))!;
  const { model } = loadModel(tf, MODEL);
  try {
    const prompt = 'Write 12 in words.';
    const ids = await generate(model, encodePrompt(tok, prompt, true).ids, { maxNewTokens: 8, temperature: 0, topP: 1, seed: 0, stopIds: tok.stopIds });
    const greedy = tok.decode(ids, { skipSpecialTokens: true }).trim();
    const file = join(tempDir(), 'rows.jsonl');
    // The expected text is trimmed too; a different answer is not a match.
    writeFileSync(file, [row(prompt, ` ${greedy} `), row(prompt, `${greedy} and more`), row(prompt, 'never read')].join('\n') + '\n');
    const before = tf.memory().numTensors;
    const result = await exactMatch(model, tok, file, { limit: 2, maxNewTokens: 8 });
    assert.equal(tf.memory().numTensors, before, 'exact match leaked tensors');
    assert.deepEqual(
      result.samples.map((s) => [s.answer, s.expected, s.correct]),
      [
        [greedy, greedy, true],
        [greedy, `${greedy} and more`, false],
      ],
    );
    assert.deepEqual([result.correct, result.total, result.accuracy], [1, 2, 0.5]);
  } finally {
    model.dispose();
  }
});

test('exact match refuses a row whose last turn is not the assistant answer, naming the line', () => {
  const file = join(tempDir(), 'rows.jsonl');
  writeFileSync(file, `${row('a', 'b')}\n${JSON.stringify({ messages: [{ role: 'user', content: 'a' }] })}\n`);
  assert.throws(() => readChatRows(file, 10), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: exact match needs a chat row`));
  writeFileSync(file, '{"text": "plain"}\n');
  assert.throws(() => readChatRows(file, 10), /:1: exact match needs a chat row/);
});

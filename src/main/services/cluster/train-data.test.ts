// The exported train.py encodes rows exactly as LoRA Lab's engine does: its Python
// encode_row (templates/train-data-py.ts) runs under Debian's python3 and must give
// the same input_ids and labels (prompt masked with -100, assistant turns learned,
// rows cut to the limit) as encodeExample on the bundled model's real tokenizer.
// transformers is not installed here, so Python's tokenizer answers from a table of
// what LoRA Lab's tokenizer answered for the same strings; a string the Python code
// asks for that LoRA Lab's never did is an error, so a port that drifts fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeExample, loadTokenizer, type HfTokenizer } from '../../engine/io/tokenizer/index';
import { TRAIN_DATA_PY } from './templates/train-data-py';

const MODEL = join(__dirname, '..', '..', '..', '..', 'resources', 'models', 'lab-tiny-llama');

const PY_DRIVER = String.raw`
import json, re, sys, types
torch = types.ModuleType("torch")  # encode_row needs no torch; Rows subclasses torch.utils.data.Dataset
torch.utils = types.SimpleNamespace(data=types.SimpleNamespace(Dataset=object))
sys.modules["torch"] = torch
spec = json.load(sys.stdin)
exec(spec["data_py"])

class TableTokenizer:
    """Answers with what LoRA Lab's tokenizer answered for the same string."""
    def __init__(self, t):
        self.encodings, self.chats = t["encodings"], t["chats"]
        self.eos_token, self.eos_token_id, self.pad_token_id = t["eos_token"], t["eos_token_id"], None
    def __call__(self, text, add_special_tokens=True):
        key = json.dumps([text, add_special_tokens], ensure_ascii=False, separators=(",", ":"))
        if key not in self.encodings:
            raise AssertionError(f"train.py encoded a string LoRA Lab never did: {key}")
        return {"input_ids": list(self.encodings[key])}
    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
        key = json.dumps([messages, add_generation_prompt], ensure_ascii=False, separators=(",", ":"))
        if key not in self.chats:
            raise RuntimeError("template not rendered by LoRA Lab for this prefix")  # by_prefix falls back, as in spans.ts
        return self.chats[key]

tok = TableTokenizer(spec["table"])
print(json.dumps([encode_row(tok, row, spec["max_len"]) for row in spec["rows"]]))
`;

/** The real tokenizer, recording every question encodeExample asks it. */
function recording(tokenizer: HfTokenizer) {
  const encodings: Record<string, number[]> = {};
  const chats: Record<string, string> = {};
  const rec = Object.create(tokenizer) as HfTokenizer;
  rec.encode = (text, options = {}) => {
    const ids = tokenizer.encode(text, options);
    encodings[JSON.stringify([text, options.addSpecialTokens ?? true])] = ids;
    return ids;
  };
  rec.applyChatTemplate = (messages, options = {}) => {
    const text = tokenizer.applyChatTemplate(messages, options);
    chats[JSON.stringify([messages.map(({ role, content }) => ({ role, content })), options.addGenerationPrompt ?? false])] = text;
    return text;
  };
  return { rec, table: { encodings, chats, eos_token: tokenizer.eosToken, eos_token_id: tokenizer.eosId } };
}

const ROWS: unknown[] = [
  { text: 'The old man holds the book by the river.' },
  { text: 'Café — naïve façade, 2 × 3 = 6 ✓' },
  { instruction: 'Write 4478 in words.', output: 'four thousand four hundred seventy-eight' },
  { instruction: 'Translate to French.', input: 'The cat sleeps.', output: 'Le chat dort.' },
  { instruction: 'Say nothing.', input: '', output: '' },
  { messages: [{ role: 'user', content: 'Write 279 in words.' }, { role: 'assistant', content: 'two hundred seventy-nine' }] },
  {
    messages: [
      { role: 'system', content: 'You answer in words 🙂' },
      { role: 'user', content: 'Write 12 in words.' },
      { role: 'assistant', content: 'twelve' },
      { role: 'user', content: 'And 13?' },
      { role: 'assistant', content: 'thirteen' },
    ],
  },
  { input_ids: [1, 5, 9, 2] },
  { input_ids: [1, 5, 9, 2, 7], labels: [-100, -100, 9, 2, 7] },
];

for (const maxLen of [256, 12]) {
  test(`train.py's encode_row gives LoRA Lab's ids and labels for every row shape (max_seq_len ${maxLen})`, async () => {
    const tokenizer = (await loadTokenizer(MODEL))!;
    const { rec, table } = recording(tokenizer);
    const source = { file: 'rows.jsonl', line: 1 };
    const expected = ROWS.map((row) => {
      const ex = encodeExample(rec, row, source);
      return { input_ids: ex.inputIds.slice(0, maxLen), labels: ex.labels.slice(0, maxLen) };
    });
    assert.ok(expected.some((e) => e.labels.includes(-100)), 'some rows mask their prompt');
    const py = spawnSync('python3', ['-c', PY_DRIVER], { input: JSON.stringify({ data_py: TRAIN_DATA_PY, table, rows: ROWS, max_len: maxLen }), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), expected);
  });
}

test("a bad row is refused by train.py with the file and line, as LoRA Lab's loader does", () => {
  const driver = PY_DRIVER.replace(/tok = TableTokenizer[\s\S]*$/, 'import tempfile, os\np = os.path.join(tempfile.mkdtemp(), "bad.jsonl")\nopen(p, "w").write(\'{"text": "ok"}\\n\\n{"instruction": "x", "text": "y"}\\n\')\nread_rows(p, None, 8)\n');
  const py = spawnSync('python3', ['-c', driver], { input: JSON.stringify({ data_py: TRAIN_DATA_PY }), encoding: 'utf8' });
  assert.notEqual(py.status, 0);
  assert.match(py.stderr, /bad\.jsonl:1: a "text" row needs a tokenizer/);
});

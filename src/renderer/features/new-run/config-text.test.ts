import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, convertConfigText, setConfigField } from './config-text';

const YAML = `# a comment that must survive
name: demo
model: /models/tiny   # trailing comment
data:
  train: /data/train.jsonl
lora:
  r: 8
`;

test('a valid config parses with defaults applied and no problems', () => {
  const checked = checkConfigText(YAML);
  assert.deepEqual(checked.problems, []);
  assert.equal(checked.config?.lora?.r, 8);
  assert.equal(checked.config?.train.steps, 200);
});

test('an invalid value is placed on its own line and column', () => {
  const checked = checkConfigText(YAML.replace('r: 8', 'r: -4'));
  assert.equal(checked.config, null);
  const p = checked.problems.find((x) => x.path === 'lora.r');
  assert.ok(p, JSON.stringify(checked.problems));
  assert.equal(p.line, 7);
  assert.equal(p.column, 6);
  assert.equal(p.source, 'config');
});

test('an unknown key is named and marked at the key', () => {
  const checked = checkConfigText(YAML.replace('  r: 8', '  r: 8\n  rank: 4'));
  const p = checked.problems.find((x) => /unknown key "rank" in lora/.test(x.message));
  assert.ok(p, JSON.stringify(checked.problems));
  assert.equal(p.line, 8);
  assert.equal(p.column, 3);
});

test('a missing required key points at its parent', () => {
  const checked = checkConfigText(YAML.replace('  train: /data/train.jsonl\n', '  max_seq_len: 64\n'));
  const p = checked.problems.find((x) => x.path === 'data.train');
  assert.ok(p, JSON.stringify(checked.problems));
  assert.equal(p.line, 4);
});

test('cross-field checks of the schema (AdaLoRA target_r ≤ init_r) become problems', () => {
  const checked = checkConfigText(`${YAML}method: adalora\nadalora:\n  init_r: 4\n  target_r: 8\n`);
  const p = checked.problems.find((x) => x.path === 'adalora.target_r');
  assert.ok(p, JSON.stringify(checked.problems));
  assert.equal(p.line, 11);
});

test('a syntax error is a problem with its position, not an exception', () => {
  const checked = checkConfigText('name: [unclosed\nmodel: x\n');
  assert.equal(checked.problems[0]?.source, 'syntax');
  assert.ok(checked.problems[0]!.line >= 1);
});

test('JSON text is checked the same way', () => {
  const checked = checkConfigText('{\n  "name": "j",\n  "model": "m",\n  "data": {"train": "t"},\n  "train": {"lr": 0}\n}\n');
  const p = checked.problems.find((x) => x.path === 'train.lr');
  assert.ok(p);
  assert.equal(p.line, 5);
});

test('setting a field from the form keeps comments and creates missing sections', () => {
  let text = setConfigField(YAML, 'yaml', ['lora', 'r'], 16);
  text = setConfigField(text, 'yaml', ['train', 'lr'], 0.001);
  assert.match(text, /# a comment that must survive/);
  assert.match(text, /# trailing comment/);
  const checked = checkConfigText(text);
  assert.equal(checked.config?.lora?.r, 16);
  assert.equal(checked.config?.train.lr, 0.001);
  text = setConfigField(text, 'yaml', ['lora', 'r'], undefined);
  assert.equal(checkConfigText(text).config?.lora?.r, 8);
});

test('setting a field in JSON gives JSON back; converting round-trips', () => {
  const json = convertConfigText(YAML, 'json');
  const edited = setConfigField(json, 'json', ['train', 'steps'], 5);
  assert.equal(JSON.parse(edited).train.steps, 5);
  assert.deepEqual(checkConfigText(convertConfigText(edited, 'yaml')).config, checkConfigText(edited).config);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConfigJsonSchema, schemaProperties } from './json-schema';

test('the JSON Schema has every run-config key, each with a description (the editor hover help)', () => {
  const props = schemaProperties(runConfigJsonSchema());
  const paths = props.map((p) => p.path);
  for (const key of ['name', 'model', 'method', 'lora.r', 'lora.targets', 'adalora.target_r', 'quant.block_size', 'data.train', 'train.lr', 'init_from']) {
    assert.ok(paths.includes(key), `${key} missing from the JSON Schema`);
  }
  const bare = props.filter((p) => typeof p.schema.description !== 'string' || p.schema.description.length < 10).map((p) => p.path);
  assert.deepEqual(bare, [], 'keys without a description');
});

test('written keys with defaults are optional; unknown keys are refused as in zod', () => {
  const schema = runConfigJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, { required?: string[] }> };
  assert.deepEqual([...schema.required].sort(), ['data', 'model', 'name']);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.properties.data?.required, ['train']);
});

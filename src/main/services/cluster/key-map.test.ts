// Every run-config key has a Hugging Face mapping or a refusal, and docs/CLUSTER.md
// has a row for it: the zod schema is walked, so a key added later fails here
// until it is mapped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { runConfigSchema } from '../../../shared/config/run-config';
import { KEY_MAP, keyMapping } from './key-map';

/** Dotted paths of every key of an object schema, through optional/default/nullable/refine wrappers. */
function keyPaths(schema: z.ZodType, prefix = ''): string[] {
  let s: z.ZodType = schema;
  for (;;) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
    if (def.innerType) s = def.innerType; // optional, default, nullable, readonly
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = keyPaths(child, path);
    return nested.length ? nested : [path];
  });
}

const paths = keyPaths(runConfigSchema);

test('the schema walk finds the keys of every section (a walk that found nothing would pass everything)', () => {
  for (const p of ['name', 'lora.r', 'adalora.delta_t', 'quant.block_size', 'data.max_seq_len', 'train.save_every', 'init_from']) assert.ok(paths.includes(p), p);
  assert.ok(paths.length >= 30, `${paths.length} keys`);
});

for (const path of paths) {
  test(`config key ${path} maps to Hugging Face or is refused with a reason`, () => {
    const m = keyMapping(path);
    assert.ok(m, `${path} has no entry in KEY_MAP (src/main/services/cluster/key-map.ts)`);
    assert.ok(m.target.length > 0 && m.note.length > 0, `${path}: target and note must say something`);
  });
}

test('KEY_MAP has no entry for a key the schema does not have', () => {
  assert.deepEqual(KEY_MAP.map((k) => k.path).filter((p) => !paths.includes(p)), []);
});

test('docs/CLUSTER.md has a table row for every key, saying what KEY_MAP says', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'CLUSTER.md'), 'utf8');
  const missing = paths.filter((p) => !doc.includes(`| \`${p}\` |`));
  assert.deepEqual(missing, [], 'rows missing from docs/CLUSTER.md');
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const k of KEY_MAP) {
    const row = `| \`${k.path}\` | ${cell(k.target)} | ${cell(k.note)} | ${k.refused ? cell(k.refused) : '—'} |`;
    assert.ok(doc.includes(row), `docs/CLUSTER.md: the row of ${k.path} differs from key-map.ts; expected\n${row}`);
  }
});

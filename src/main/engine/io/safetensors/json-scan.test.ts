// The header scanner: duplicate keys JSON.parse would hide, and number literals with their paths.
// Run: node --import tsx --test src/main/engine/io/safetensors/json-scan.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnsignedIntegerLiteral, scanJson } from './json-scan';

test('finds a duplicate at the top level, inside an entry, and through escapes', () => {
  assert.deepEqual(scanJson('{"a":1,"b":2,"a":3}'), { path: [], key: 'a' });
  assert.deepEqual(scanJson('{"t":{"dtype":"F32","dtype":"F16"}}'), { path: ['t'], key: 'dtype' });
  assert.deepEqual(scanJson('{"a":1,"\\u0061":2}'), { path: [], key: 'a' });
  assert.deepEqual(scanJson('{"__metadata__":{"k":"1","k":"2"}}'), { path: ['__metadata__'], key: 'k' });
});

test('equal keys in different objects, and strings that look like keys, are not duplicates', () => {
  assert.equal(scanJson('{"a":{"x":1},"b":{"x":2},"c":["a","a"],"d":"a"}'), null);
  assert.equal(scanJson('{"a\\"b":1,"a":{"a\\\\":["}",{"a":2}]}}'), null);
  assert.equal(scanJson('[{"a":1},{"a":1}]'), null);
});

test('reports number literals with the keys around them', () => {
  const seen: [string[], string][] = [];
  scanJson('{"t":{"shape":[2.0,-0,1e3,[7]],"data_offsets":[0,18446744073709551616]},"n":-1.5E-7}', (path, literal) =>
    seen.push([[...path], literal]),
  );
  assert.deepEqual(seen, [
    [['t', 'shape'], '2.0'],
    [['t', 'shape'], '-0'],
    [['t', 'shape'], '1e3'],
    [['t', 'shape'], '7'],
    [['t', 'data_offsets'], '0'],
    [['t', 'data_offsets'], '18446744073709551616'],
    [['n'], '-1.5E-7'],
  ]);
});

test('deep nesting does not overflow the stack', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  assert.equal(scanJson(`{"a":${deep},"a":1}`)?.key, 'a');
});

test('unsigned integer literals', () => {
  for (const ok of ['0', '7', '18446744073709551616']) assert.ok(isUnsignedIntegerLiteral(ok), ok);
  for (const bad of ['-0', '-1', '1.0', '1e3', '01', '1E+2']) assert.ok(!isUnsignedIntegerLiteral(bad), bad);
});

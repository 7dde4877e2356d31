// readFloat32Transposed gives exactly the transpose of readFloat32, for every
// float dtype, including tensors that span several read blocks.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { transpose2d } from '../../models/decoder/load';
import { SafetensorsFile, writeSafetensors } from './index';
import { tempDir } from './testdata/temp';

test('a transposed read equals transpose(readFloat32) for F32, F16 and BF16, across block boundaries', () => {
  const dir = tempDir();
  const shapes: [number, number][] = [
    [3, 5],
    [1700, 1300], // 4.4 MB as F16: more than one 4 MB block
  ];
  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    const file = join(dir, `${dtype}.safetensors`);
    writeSafetensors(
      file,
      shapes.map(([r, c], k) => ({
        name: `t${k}`,
        dtype,
        shape: [r, c],
        data: Float32Array.from({ length: r * c }, (_, i) => Math.sin(i * 0.37 + k) * 3),
      })),
    );
    const f = SafetensorsFile.open(file);
    try {
      shapes.forEach(([r, c], k) => {
        const got = f.readFloat32Transposed(`t${k}`);
        const want = transpose2d(f.readFloat32(`t${k}`), r, c);
        assert.ok(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `${dtype} t${k} differs`);
      });
    } finally {
      f.close();
    }
  }
});

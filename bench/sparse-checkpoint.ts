// Checkpoints that are real to every header reader and cost no disk: each
// safetensors file has a true header and a data region that is a hole (the file
// is truncated up to its length), so a ChatGLM-6B-shaped folder of ~12 GB in 8
// shards takes a few kilobytes. Shared by bench/startup and the inspect test.
import { closeSync, mkdirSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { architectureFor, type TensorShape } from '../src/main/engine/models/index';

export const presetConfig = (root: string, id: string) =>
  JSON.parse(readFileSync(join(root, 'resources/presets', `${id}.json`), 'utf8')).config as Record<string, unknown>;

/** A safetensors file whose header is real and whose data region is a hole. Returns its data size. */
export function writeSparseSafetensors(file: string, tensors: readonly Pick<TensorShape, 'name' | 'shape'>[], dtype: 'F16' | 'F32'): number {
  const size = dtype === 'F16' ? 2 : 4;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const t of tensors) {
    const end = offset + t.shape.reduce((a, b) => a * b, 1) * size;
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const fd = openSync(file, 'w');
  writeSync(fd, prefix);
  writeSync(fd, json);
  closeSync(fd);
  truncateSync(file, 8 + Buffer.byteLength(json) + offset);
  return offset;
}

/** A preset's tensors from its config, split into `shards` files with an index, as the hub's checkpoints are. */
export function writeSparseCheckpoint(root: string, preset: string, dir: string, shards = 8): { dir: string; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const config = presetConfig(root, preset);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const arch = architectureFor(config);
  const tensors = arch.tensorShapes(arch.parseConfig(config, 'config.json'));
  const per = Math.ceil(tensors.length / shards);
  const weightMap: Record<string, string> = {};
  let bytes = 0;
  for (let s = 0; s < shards; s++) {
    const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
    const part = tensors.slice(s * per, (s + 1) * per);
    bytes += writeSparseSafetensors(join(dir, file), part, 'F16');
    for (const t of part) weightMap[t.name] = file;
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: bytes }, weight_map: weightMap }, null, 2));
  return { dir, bytes };
}

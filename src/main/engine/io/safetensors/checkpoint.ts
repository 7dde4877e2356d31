// A Hugging Face model folder's weights: model.safetensors, or shards listed by
// model.safetensors.index.json (transformers modeling_utils.py save_pretrained / huggingface_hub split_torch_state_dict_into_shards). Opening reads and checks
// every header and the index against them, and nothing else; shard files are
// opened on the first read from them. Pickled PyTorch weights are refused with
// the one-line conversion, since loading them would run code from the file.
//   const ckpt = openCheckpoint(dir);
//   for (const [name, info] of ckpt.tensors) use(name, ckpt.readFloat32(name));
//   ckpt.close();
import type { Buffer } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TensorArray } from './decode';
import { messageOf, quote, SafetensorsError } from './errors';
import { SafetensorsFile } from './file';
import { readHeader, type SafetensorsHeader, type TensorInfo } from './header';
import { scanJson } from './json-scan';
import { notValidJson } from '../../../../shared/json-error';

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';

export interface CheckpointTensorInfo extends TensorInfo {
  /** The shard that holds the tensor: the folder joined with its file name. */
  file: string;
}

export interface Checkpoint {
  readonly dir: string;
  /** The weight files (folder-joined), in name order; one for an unsharded model. */
  readonly files: readonly string[];
  /** Each weight file's validated header, by file. */
  readonly headers: ReadonlyMap<string, SafetensorsHeader>;
  /** The index's metadata.total_size when it has one (not checked: writers disagree on it); null otherwise. */
  readonly totalSize: number | null;
  /** Every tensor, shard by shard in file order, each in data order. */
  readonly tensors: Map<string, CheckpointTensorInfo>;
  /** A tensor's shape, or undefined when there is no such tensor. */
  shape(name: string): number[] | undefined;
  readFloat32(name: string): Float32Array;
  /** A 2-D float tensor as float32, transposed, decoded block by block (see SafetensorsFile). */
  readFloat32Transposed(name: string): Float32Array;
  read(name: string): TensorArray;
  readRaw(name: string): Buffer;
  /** Closes the shard files opened so far; later reads throw CLOSED. */
  close(): void;
}

export function openCheckpoint(dir: string): Checkpoint {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    throw new SafetensorsError('IO_ERROR', `cannot read model folder ${dir}: ${messageOf(err)}`, dir, null, { cause: err });
  }
  const present = new Set(entries);
  // transformers prefers the single file when both are present; so do we.
  if (present.has(SINGLE_FILE)) return fromHeaders(dir, [readHeader(path.join(dir, SINGLE_FILE))], null);
  if (present.has(INDEX_FILE)) return openSharded(dir);
  throw missingWeights(dir, entries);
}

function openSharded(dir: string): Checkpoint {
  const indexPath = path.join(dir, INDEX_FILE);
  const { weightMap, totalSize } = readIndex(indexPath);

  // 1. Every shard the index names exists, and its header is valid.
  const shardNames = [...new Set(weightMap.values())].sort();
  const headers = shardNames.map((name) => {
    const file = path.join(dir, name);
    if (!isFile(file)) {
      const listed = [...weightMap].filter(([, shard]) => shard === name).map(([tensor]) => tensor);
      throw new SafetensorsError(
        'SHARD_MISSING',
        `${indexPath} lists ${listed.length} tensors in ${name} (such as ${quote(listed[0]!)}), but ${file} does not exist`,
        file,
        listed[0] ?? null,
      );
    }
    return readHeader(file);
  });

  // 2. No tensor in two shards; then the index and the headers agree both ways.
  const holder = new Map<string, string>();
  for (const [i, header] of headers.entries()) {
    for (const name of header.tensors.keys()) {
      const other = holder.get(name);
      if (other !== undefined) {
        throw new SafetensorsError(
          'DUPLICATE_TENSOR',
          `tensor ${quote(name)} is stored in two shards of ${dir}: ${other} and ${shardNames[i]}`,
          header.file,
          name,
        );
      }
      holder.set(name, shardNames[i]!);
    }
  }
  for (const [name, shard] of holder) {
    const listed = weightMap.get(name);
    if (listed !== shard) {
      const where = listed === undefined ? 'does not list it' : `lists it in ${listed}`;
      throw new SafetensorsError(
        'INDEX_MISMATCH',
        `${path.join(dir, shard)} holds tensor ${quote(name)}, but ${indexPath} ${where}`,
        path.join(dir, shard),
        name,
      );
    }
  }
  for (const [name, shard] of weightMap) {
    if (!holder.has(name)) {
      throw new SafetensorsError(
        'INDEX_MISMATCH',
        `${indexPath} lists tensor ${quote(name)} in ${shard}, but that shard has no such tensor`,
        path.join(dir, shard),
        name,
      );
    }
  }
  return fromHeaders(dir, headers, totalSize);
}

function readIndex(indexPath: string): { weightMap: Map<string, string>; totalSize: number | null } {
  const bad = (why: string): SafetensorsError => new SafetensorsError('INVALID_INDEX', `${indexPath}: ${why}`, indexPath);
  let text: string;
  try {
    text = readFileSync(indexPath, 'utf8');
  } catch (err) {
    throw new SafetensorsError('IO_ERROR', `cannot read ${indexPath}: ${messageOf(err)}`, indexPath, null, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw bad(notValidJson(err, text));
  }
  if (!isRecord(parsed)) throw bad('expected a JSON object with "weight_map"');
  const duplicate = scanJson(text);
  if (duplicate) {
    throw new SafetensorsError('DUPLICATE_KEY', `${indexPath}: key ${quote(duplicate.key)} appears twice`, indexPath, duplicate.key);
  }
  const map = parsed.weight_map;
  if (!isRecord(map)) throw bad('"weight_map" must be an object of tensor name -> shard file name');
  const weightMap = new Map<string, string>();
  for (const [name, shard] of Object.entries(map)) {
    if (typeof shard !== 'string') throw bad(`weight_map[${quote(name)}] must be a file name, got ${typeof shard}`);
    // Shards sit beside the index; a path would let an index point anywhere on disk.
    if (shard === '' || shard === '.' || shard === '..' || /[\\/\0]/.test(shard)) {
      throw bad(`weight_map[${quote(name)}] is ${quote(shard)}; shard names must be plain file names in the same folder`);
    }
    weightMap.set(name, shard);
  }
  if (weightMap.size === 0) throw bad('weight_map lists no tensors');
  // Only total_size is known; other metadata keys (some tools add them) are ignored.
  const metadata = parsed.metadata;
  const total = isRecord(metadata) ? metadata.total_size : undefined;
  return { weightMap, totalSize: typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : null };
}

function fromHeaders(dir: string, headers: SafetensorsHeader[], totalSize: number | null): Checkpoint {
  const tensors = new Map<string, CheckpointTensorInfo>();
  for (const header of headers) {
    for (const info of header.tensors.values()) tensors.set(info.name, { ...info, file: header.file });
  }
  const byFile = new Map(headers.map((h) => [h.file, h]));
  const open = new Map<string, SafetensorsFile>();
  let closed = false;

  const fileFor = (name: string): SafetensorsFile => {
    if (closed) throw new SafetensorsError('CLOSED', `the checkpoint in ${dir} was closed`, dir, name);
    const info = tensors.get(name);
    if (!info) throw new SafetensorsError('TENSOR_NOT_FOUND', `the checkpoint in ${dir} has no tensor ${quote(name)}`, dir, name);
    let file = open.get(info.file);
    if (!file) {
      file = SafetensorsFile.fromHeader(byFile.get(info.file)!);
      open.set(info.file, file);
    }
    return file;
  };

  return {
    dir,
    files: headers.map((h) => h.file),
    headers: byFile,
    totalSize,
    tensors,
    shape: (name) => tensors.get(name)?.shape,
    readFloat32: (name) => fileFor(name).readFloat32(name),
    readFloat32Transposed: (name) => fileFor(name).readFloat32Transposed(name),
    read: (name) => fileFor(name).read(name),
    readRaw: (name) => fileFor(name).readRaw(name),
    close: () => {
      closed = true;
      for (const file of open.values()) file.close();
      open.clear();
    },
  };
}

/** Trainer state, not weights: PyTorch pickles too, but their presence says nothing about the model. */
const TRAINER_STATE = /^(training_args\.bin|optimizer\.pt|scheduler\.pt|scaler\.pt|rng_state(_\d+)?\.pth)$/;
const PICKLE = /\.(bin|pt|pth|ckpt)$/i;
const OTHER_FORMATS = /\.(h5|msgpack|gguf|onnx)$/i;

function missingWeights(dir: string, entries: string[]): SafetensorsError {
  const pickles = entries.filter((name) => (PICKLE.test(name) && !TRAINER_STATE.test(name)) || name === 'pytorch_model.bin.index.json');
  if (pickles.length > 0) {
    const out = `${dir.replace(/[\\/]+$/, '')}-safetensors`;
    return new SafetensorsError(
      'PICKLE_REFUSED',
      `${dir} holds PyTorch pickle weights (${list(pickles)}) and no ${SINGLE_FILE}. LoRA Lab refuses pickled ` +
        `checkpoints because loading one executes arbitrary code stored in the file. Convert the folder once, in Python:\n` +
        `  from transformers import AutoModelForCausalLM; ` +
        `AutoModelForCausalLM.from_pretrained(${JSON.stringify(dir)}).save_pretrained(${JSON.stringify(out)}, safe_serialization=True)\n` +
        `then copy the tokenizer files (tokenizer.json, tokenizer_config.json) into ${out} and use that folder.`,
      dir,
    );
  }
  const safetensors = entries.filter((name) => name.endsWith('.safetensors'));
  const others = entries.filter((name) => OTHER_FORMATS.test(name));
  const found =
    safetensors.length > 0
      ? ` It has ${list(safetensors)}${safetensors.some((n) => n.startsWith('adapter_')) ? ' (an adapter folder? pass the base model folder here)' : ''}.`
      : others.length > 0
        ? ` It has ${list(others)}, a format LoRA Lab does not read.`
        : '';
  return new SafetensorsError(
    'NO_WEIGHTS',
    `no model weights in ${dir}: looked for ${SINGLE_FILE} and ${INDEX_FILE} (sharded).${found}`,
    dir,
  );
}

function list(names: string[]): string {
  const sorted = [...names].sort();
  return sorted.length > 4 ? `${sorted.slice(0, 4).join(', ')} and ${sorted.length - 4} more` : sorted.join(', ');
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

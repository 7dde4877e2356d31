// The safetensors and checkpoint I/O layer's entry point; other folders import only this file.
//   readHeader(file)                  header only: names, dtypes, shapes, offsets (never tensor data)
//   SafetensorsFile.open(file)        read tensors one by one (readFloat32 / read / readRaw)
//   openCheckpoint(dir)               a model folder: model.safetensors or sharded with an index
//   writeSafetensors / SafetensorsWriter, planShards + writeIndex   writing, atomically
// Tests: node --import tsx --test src/main/engine/io/safetensors/*.test.ts
export { SafetensorsError, type SafetensorsErrorCode } from './errors';
export { DTYPES, DTYPE_BITS, FLOAT_DTYPES, isDtype, type Dtype } from './dtypes';
export { MAX_HEADER_SIZE, parseHeader, readHeader, type SafetensorsHeader, type TensorInfo } from './header';
export { decodeFloat32, decodeTensor, READABLE_DTYPES, type TensorArray } from './decode';
export { SafetensorsFile } from './file';
export { INDEX_FILE, openCheckpoint, SINGLE_FILE, type Checkpoint, type CheckpointTensorInfo } from './checkpoint';
export {
  DEFAULT_METADATA,
  layoutHeader,
  SafetensorsWriter,
  writeSafetensors,
  type HeaderLayout,
  type Metadata,
  type TensorSpec,
  type TensorToWrite,
  type WritableData,
  type WritableDtype,
} from './write';
export { DEFAULT_MAX_SHARD_BYTES, planShards, shardFileName, writeIndex, type ShardPlan } from './shards';
export { bf16BitsToF32Bits, f16BitsToF32Bits, f32BitsToBf16Bits, f32BitsToF16Bits } from './float16';

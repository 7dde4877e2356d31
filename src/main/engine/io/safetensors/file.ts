// One safetensors file, open for reading tensor by tensor. The header is read
// and validated at open; each read is one positioned read of exactly that
// tensor's bytes into a fresh buffer, so memory holds only what was asked for
// and no read depends on the file's own alignment.
//   const f = SafetensorsFile.open('model.safetensors');
//   const w = f.readFloat32('model.embed_tokens.weight'); f.close();
import { Buffer, constants } from 'node:buffer';
import { closeSync } from 'node:fs';
import { decodedByteLength, decodeFloat32, decodeTensor, type TensorArray } from './decode';
import { quote, SafetensorsError } from './errors';
import { openForReading, readExactly } from './fd';
import { readHeaderFromFd, type SafetensorsHeader, type TensorInfo } from './header';

/** Bytes read per block by readFloat32Transposed: small next to any real weight, large enough for few reads. */
const BLOCK_BYTES = 4 << 20;

export class SafetensorsFile {
  private fd: number | null;

  private constructor(
    fd: number,
    readonly header: SafetensorsHeader,
  ) {
    this.fd = fd;
  }

  /** Opens `file` and validates its header; keeps a descriptor until close(). */
  static open(file: string): SafetensorsFile {
    const { fd, size } = openForReading(file);
    try {
      return new SafetensorsFile(fd, readHeaderFromFd(fd, size, file));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /**
   * Opens the file a header was already read from (openCheckpoint validates
   * every shard up front), without parsing it again. A size that changed since
   * is refused: the offsets would no longer describe the file.
   */
  static fromHeader(header: SafetensorsHeader): SafetensorsFile {
    const { fd, size } = openForReading(header.file);
    if (size !== header.fileSize) {
      closeSync(fd);
      throw new SafetensorsError(
        'FILE_CHANGED',
        `${header.file} is now ${size} bytes but was ${header.fileSize} when its header was read; was it rewritten?`,
        header.file,
      );
    }
    return new SafetensorsFile(fd, header);
  }

  get file(): string {
    return this.header.file;
  }

  get tensors(): Map<string, TensorInfo> {
    return this.header.tensors;
  }

  get metadata(): Record<string, string> | null {
    return this.header.metadata;
  }

  /** The tensor's bytes as stored (little-endian), in a Buffer of its own. */
  readRaw(name: string): Buffer {
    const info = this.info(name);
    const bytes = Buffer.allocUnsafeSlow(this.checkSize(info, info.end - info.begin));
    readExactly(this.descriptor(), bytes, this.header.dataStart + info.begin, this.file, name);
    return bytes;
  }

  /** The tensor's values by dtype: floats as Float32Array, integers at their width (see decode.ts). */
  read(name: string): TensorArray {
    const info = this.info(name);
    this.checkSize(info, decodedByteLength(info, false, this.file));
    return decodeTensor(this.readBytes(info), info, this.file);
  }

  /** A float tensor (F32, F16, BF16, F64) as float32. */
  readFloat32(name: string): Float32Array {
    const info = this.info(name);
    this.checkSize(info, decodedByteLength(info, true, this.file));
    return decodeFloat32(this.readBytes(info), info, this.file);
  }

  /**
   * A 2-D float tensor [rows, cols] as float32 in transposed order [cols, rows],
   * read and decoded a block of rows at a time: the only full-size array made is
   * the result (loading an nn.Linear weight into the runtime's [in, out] layout
   * would otherwise hold the raw bytes, the decoded copy and the transpose at once).
   */
  readFloat32Transposed(name: string): Float32Array {
    const info = this.info(name);
    if (info.shape.length !== 2) {
      throw new SafetensorsError('INVALID_TENSOR', `${this.file}: tensor ${quote(name)} is not 2-D (shape [${info.shape}])`, this.file, name);
    }
    const [rows, cols] = info.shape as [number, number];
    const out = new Float32Array(this.checkSize(info, decodedByteLength(info, true, this.file)) / 4);
    const rowBytes = rows === 0 ? 0 : (info.end - info.begin) / rows;
    const block = Math.max(1, Math.floor(BLOCK_BYTES / Math.max(1, rowBytes)));
    for (let r0 = 0; r0 < rows; r0 += block) {
      const n = Math.min(block, rows - r0);
      const begin = info.begin + r0 * rowBytes;
      const part = { ...info, shape: [n, cols], begin, end: begin + n * rowBytes };
      const values = decodeFloat32(this.readBytes(part), part, this.file);
      for (let r = 0; r < n; r++) for (let c = 0; c < cols; c++) out[c * rows + r0 + r] = values[r * cols + c]!;
    }
    return out;
  }

  /** Closes the descriptor; later reads throw CLOSED. Safe to call twice. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }

  private info(name: string): TensorInfo {
    const info = this.header.tensors.get(name);
    if (!info) throw new SafetensorsError('TENSOR_NOT_FOUND', `${this.file} has no tensor ${quote(name)}`, this.file, name);
    return info;
  }

  private descriptor(): number {
    if (this.fd === null) throw new SafetensorsError('CLOSED', `${this.file} was closed`, this.file);
    return this.fd;
  }

  /** Bytes of a fresh, 0-offset buffer, so every typed view of it is aligned. */
  private readBytes(info: TensorInfo): Uint8Array {
    const bytes = new Uint8Array(info.end - info.begin);
    readExactly(this.descriptor(), bytes, this.header.dataStart + info.begin, this.file, info.name);
    return bytes;
  }

  private checkSize(info: TensorInfo, bytes: number): number {
    if (bytes > constants.MAX_LENGTH) {
      throw new SafetensorsError(
        'TENSOR_TOO_LARGE',
        `${this.file}: tensor ${quote(info.name)} needs ${bytes} bytes in memory, more than one buffer can hold (${constants.MAX_LENGTH})`,
        this.file,
        info.name,
      );
    }
    return bytes;
  }
}

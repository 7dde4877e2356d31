// Byte sizes as people write them ("5GB", "500MB", "2GiB", "1048576").
import { LoraLabError } from '../../shared/ipc/result';

export function parseSize(text: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (!m) throw new LoraLabError('VALIDATION', `${field} must look like 5GB, 500MB or a byte count, got ${text}`, [{ path: field, message: 'not a size' }]);
  const unit = (m[2] ?? 'B').toUpperCase();
  const scale: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30 };
  const bytes = Math.round(Number(m[1]) * scale[unit]!);
  if (bytes < 1) throw new LoraLabError('VALIDATION', `${field} must be at least one byte, got ${text}`, [{ path: field, message: 'too small' }]);
  return bytes;
}

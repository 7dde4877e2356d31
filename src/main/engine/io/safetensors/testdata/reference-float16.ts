// Test helper: float16 / bfloat16 rounding computed an independent way from
// float16.ts, on values (double arithmetic, DataView) rather than bit tricks,
// so a shared mistake is unlikely.

const dv = new DataView(new ArrayBuffer(4));
export const bitsOf = (x: number): number => (dv.setFloat32(0, x, true), dv.getUint32(0, true));
export const valueOf = (bits: number): number => (dv.setUint32(0, bits >>> 0, true), dv.getFloat32(0, true));

function roundHalfEven(q: number): number {
  const floor = Math.floor(q);
  const frac = q - floor;
  if (frac > 0.5) return floor + 1;
  if (frac < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** float16 bits nearest to the float32 value x (ties to even; 0x7e00 for NaN). */
export function refF16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  // 65504 is the largest half; halfway to 2^16 (65520) and above round to infinity.
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundHalfEven(a / 2 ** -24); // 1024 is the smallest normal: same bits
  let e = -14;
  while (a >= 2 ** (e + 1)) e += 1;
  let m = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e += 1;
  }
  return sign | ((e + 15) << 10) | m;
}

/** The value of float16 bits, by the textbook formula. */
export function refF16Value(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** bfloat16 bits nearest to the float32 value x: the nearer of its two bfloat16 neighbours (even on ties). */
export function refBF16(x: number): number {
  if (Number.isNaN(x)) return 0x7fc0;
  const lower = bitsOf(x) >>> 16; // toward zero
  if ((lower & 0x7fff) === 0x7f80) return lower; // infinity
  const lowValue = Math.abs(valueOf(lower << 16));
  // Past the largest bfloat16, the next step up is 2^128 (infinity's place).
  const highValue = (lower & 0x7fff) === 0x7f7f ? 2 ** 128 : Math.abs(valueOf((lower + 1) << 16));
  const a = Math.abs(x);
  const down = a - lowValue;
  const up = highValue - a;
  if (down < up || (down === up && (lower & 1) === 0)) return lower;
  return lower + 1;
}

/** The value of bfloat16 bits, as a float32 through DataView. */
export function refBF16Value(b: number): number {
  return valueOf(b << 16);
}

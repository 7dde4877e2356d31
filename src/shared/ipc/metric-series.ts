// One metric of one run as columns: how runs.metrics answers. A comparison of ten
// runs is tens of thousands of points; as objects each point repeats its name and
// keys in the JSON and costs an object parse in zod. As parallel arrays the JSON is
// a third of the size, and each column is checked by one loop (below) instead of a
// schema call per element, while the contract keeps its types and still refuses a
// malformed reply, naming the first bad element.
import { z } from 'zod';
import { metricNumber, toMetricValue, type MetricValue } from './schemas';

/** An array whose every element passes `ok`; the issue names the first that does not. */
function column<T>(what: string, ok: (v: unknown) => v is T) {
  return z.custom<T[]>((v) => Array.isArray(v), { message: `expected an array of ${what}` }).superRefine((arr, ctx) => {
    for (let i = 0; i < arr.length; i++) {
      if (!ok(arr[i])) {
        ctx.addIssue({ code: 'custom', path: [i], message: `expected ${what}, got ${shown(arr[i])}` });
        return;
      }
    }
  });
}

// JSON.stringify writes NaN and ±Infinity as null, hiding which it was.
const shown = (v: unknown) => (typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

const isStep = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isValue = (v: unknown): v is MetricValue => isFinite(v) || v === 'Infinity' || v === '-Infinity';

export const metricSeriesSchema = z
  .object({
    name: z.string(),
    /** Ascending steps. */
    steps: column('a non-negative integer step', isStep),
    /** The value at each step ('Infinity' / '-Infinity' for an overflow, as in metricValueSchema). */
    values: column("a finite number, 'Infinity' or '-Infinity'", isValue),
    /** Milliseconds since the epoch at each step. */
    wallTimes: column('a finite number of milliseconds', isFinite),
    /** Points of the series in the range asked; more than steps.length when the series was reduced to maxPoints. */
    total: z.number().int().min(0),
  })
  .superRefine((s, ctx) => {
    if (s.values.length !== s.steps.length || s.wallTimes.length !== s.steps.length) {
      ctx.addIssue({
        code: 'custom',
        message: `columns differ in length: ${s.steps.length} steps, ${s.values.length} values, ${s.wallTimes.length} wall times`,
      });
    }
    if (s.total < s.steps.length) ctx.addIssue({ code: 'custom', path: ['total'], message: `total ${s.total} is below the ${s.steps.length} points sent` });
  });
export type MetricSeriesColumns = z.infer<typeof metricSeriesSchema>;

/** Recorded values (±Infinity as numbers) in the contract's representation; the same array when all are finite. */
export function toContractValues(values: number[]): MetricValue[] {
  return values.every(Number.isFinite) ? values : values.map(toMetricValue);
}

/** The contract's values as numbers again (±Infinity where a metric overflowed). */
export function fromContractValues(values: readonly MetricValue[]): number[] {
  return values.map(metricNumber);
}

// What append-loop.ts writes, shared with crash.test.ts so it can check every row.
export const metricName = (j: number): string => `m${String(j).padStart(3, '0')}`;
export const expectedValue = (step: number, j: number): number => step * 1000 + j + 0.5;

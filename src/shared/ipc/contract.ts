// The IPC contract: every request, response and event, with its zod schema.
// Main implements it (src/main/services), Electron and the WebSocket server bind
// it, and the renderer gets a typed client generated from it (client.ts).
import { z } from 'zod';
import { runConfigSchema } from '../config/run-config';
import {
  doctorReportSchema,
  metricPointSchema,
  runDetailSchema,
  runIdSchema,
  runStatusSchema,
  runSummarySchema,
} from './schemas';

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const requests = {
  'runs.list': channel(z.strictObject({}), z.array(runSummarySchema)),
  'runs.get': channel(z.strictObject({ runId: runIdSchema }), runDetailSchema),
  'runs.metrics': channel(
    z.strictObject({ runId: runIdSchema, afterStep: z.number().int().min(-1).optional() }),
    z.array(metricPointSchema),
  ),
  'runs.start': channel(z.strictObject({ config: runConfigSchema }), z.object({ runId: runIdSchema })),
  'runs.stop': channel(z.strictObject({ runId: runIdSchema }), z.object({ stopping: z.boolean() })),
  'runs.resume': channel(z.strictObject({ runId: runIdSchema }), z.object({ runId: runIdSchema, checkpoint: z.string() })),
  'runs.defaultConfig': channel(z.strictObject({}), z.object({ config: z.record(z.string(), z.unknown()) })),
  'system.doctor': channel(z.strictObject({}), doctorReportSchema),
} as const;

export const events = {
  onMetrics: z.object({ runId: runIdSchema, points: z.array(metricPointSchema) }),
  onRunStatus: z.object({ runId: runIdSchema, status: runStatusSchema, error: z.string().nullable() }),
  onProgress: z.object({
    runId: runIdSchema,
    step: z.number().int(),
    totalSteps: z.number().int(),
    loss: z.number(),
    tokensPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
  }),
} as const;

export type Channel = keyof typeof requests;
export type EventName = keyof typeof events;
/** What a caller sends (defaults not yet applied). */
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]['request']>;
/** What a handler receives (validated, defaults applied). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requests)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof requests)[C]['response']>;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

export const isChannel = (c: unknown): c is Channel => typeof c === 'string' && Object.hasOwn(requests, c);
export const isEventName = (e: unknown): e is EventName => typeof e === 'string' && Object.hasOwn(events, e);

/** Wire frames of the WebSocket binding (Electron uses ipcRenderer.invoke instead). */
export const wsRequestFrameSchema = z.object({
  id: z.number().int().min(0),
  channel: z.string(),
  payload: z.unknown(),
});

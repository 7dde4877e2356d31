// The IPC contract: every request, response and event, with its zod schema.
// Main implements it (src/main/services), Electron and the WebSocket server bind
// it, and the renderer gets a typed client generated from it (client.ts). The
// router validates every request before a handler sees it and every response
// before it leaves; the event hub validates every event.
import { z } from 'zod';
import { runConfigSchema } from '../config/run-config';
import { exportJobRequestSchema, exportJobResultSchema, importJobRequestSchema, importJobResultSchema } from './cluster-schemas';
import {
  evalRequestSchema,
  generateRequestSchema,
  generateTokenEventSchema,
  jobDoneEventSchema,
  jobIdSchema,
  jobInfoSchema,
  jobProgressEventSchema,
  mergeRequestSchema,
} from './job-schemas';
import { metricSeriesSchema } from './metric-series';
import {
  doctorReportSchema,
  metricPointSchema,
  rankPointSchema,
  runDetailSchema,
  runIdSchema,
  runStatusSchema,
  runSummarySchema,
} from './schemas';
import {
  configDefaultsSchema,
  dataPreviewRequestSchema,
  dataPreviewSchema,
  inspectReportSchema,
  inspectRequestSchema,
  modelEntrySchema,
  pickFolderSchema,
  showInFolderSchema,
} from './workbench-schemas';

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });
const none = z.strictObject({});
const byRun = z.strictObject({ runId: runIdSchema });
const started = z.object({ jobId: jobIdSchema });

export const TAG_MAX = 64;

export const requests = {
  'runs.list': channel(none, z.array(runSummarySchema)),
  'runs.get': channel(byRun, runDetailSchema),
  /** One entry per metric name with points after afterStep, as columns in step order. */
  'runs.metrics': channel(
    z.strictObject({
      runId: runIdSchema,
      afterStep: z.number().int().min(-1).optional(),
      /** Only these metric names (default: all). */
      names: z.array(z.string().min(1)).min(1).optional(),
      /**
       * Per series: a longer one comes back as the first, last, lowest and highest point
       * of each of maxPoints / 4 step ranges (M4; a chart of that width draws it the same),
       * its last point always included; a shorter one whole.
       */
      maxPoints: z.number().int().min(4).max(1_000_000).optional(),
    }),
    z.array(metricSeriesSchema),
  ),
  /** The config is checked completely first; an error names the config path. */
  'runs.start': channel(z.strictObject({ config: runConfigSchema }), z.object({ runId: runIdSchema })),
  /** Works for any running run, whoever started it (the engine's pid is in the registry). */
  'runs.stop': channel(byRun, z.object({ stopping: z.boolean() })),
  'runs.resume': channel(byRun, z.object({ runId: runIdSchema, checkpoint: z.string() })),
  /** Removes the run's registry rows and its run folder; refuses a run that is running. */
  'runs.delete': channel(byRun, z.object({ deleted: z.literal(true) })),
  /** Replaces the run's tags with these. */
  'runs.setTags': channel(
    z.strictObject({ runId: runIdSchema, tags: z.array(z.string().trim().min(1).max(TAG_MAX)).max(64) }),
    z.object({ tags: z.array(z.string()) }),
  ),
  /** AdaLoRA: the rank of every adapted matrix at each masking step ([] for other methods). */
  'runs.ranks': channel(byRun, z.array(rankPointSchema)),

  /** The starter config on the bundled model and demo data, as an object and as YAML. */
  'config.defaults': channel(none, configDefaultsSchema),
  /** Bundled models and the model folders of recent runs. */
  'models.list': channel(none, z.array(modelEntrySchema)),
  /** The first examples of a data file as training sees them: tokens, and which are learned. */
  'data.preview': channel(dataPreviewRequestSchema, dataPreviewSchema),
  /** The same report as `loralab inspect --json` (headers only; cheap, runs in place). */
  'inspect.run': channel(inspectRequestSchema, inspectReportSchema),

  /** Jobs run in an engine process; progress and results come as onJobProgress / onJobDone. */
  'merge.start': channel(mergeRequestSchema, started),
  'generate.start': channel(generateRequestSchema, started),
  'eval.start': channel(evalRequestSchema, started),
  'jobs.list': channel(none, z.array(jobInfoSchema)),
  'jobs.cancel': channel(z.strictObject({ jobId: jobIdSchema }), z.object({ cancelled: z.boolean() })),

  /** Backend, versions, GPU: asked of an engine process once and cached (tfjs never loads in main). */
  'system.doctor': channel(none, doctorReportSchema),
  /** Electron: reveals the path in the file manager; in the browser opened is false. */
  'system.showInFolder': channel(z.strictObject({ path: z.string().min(1) }), showInFolderSchema),
  /** Electron: a native folder dialog; in the browser supported is false. */
  'system.pickFolder': channel(none, pickFolderSchema),

  /** Writes a Hugging Face accelerate + PEFT job folder for a run (docs/CLUSTER.md); refusals name the config key. */
  'cluster.exportJob': channel(exportJobRequestSchema, exportJobResultSchema),
  /** Records a finished job (or a PEFT adapter + Trainer trainer_state.json) as a run, linked to the run it came from. */
  'cluster.importJob': channel(importJobRequestSchema, importJobResultSchema),
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
  onJobProgress: jobProgressEventSchema,
  onGenerateToken: generateTokenEventSchema,
  onJobDone: jobDoneEventSchema,
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

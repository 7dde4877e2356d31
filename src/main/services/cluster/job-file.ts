// job.json: what export-job leaves in a job folder so import-job can link the
// cluster run back to the run it was exported from, with the config it ran.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LoraLabError } from '../../../shared/ipc/result';
import { STRATEGIES } from './hf-settings';
import { notValidJson } from '../../../shared/json-error';

export const JOB_FILE = 'job.json';
export const JOB_FORMAT = 'loralab-job/1';

export const jobFileSchema = z.object({
  format: z.literal(JOB_FORMAT),
  /** The registry run it was exported from; null when exported from a config file. */
  sourceRunId: z.number().int().positive().nullable(),
  /** The registry file that run is in, so import can tell another registry's id from its own. */
  sourceRegistry: z.string().nullable(),
  name: z.string().min(1),
  strategy: z.enum(STRATEGIES),
  gpus: z.number().int().positive(),
  /** The LoRA Lab run config the job reproduces (paths as they were at export). */
  config: z.record(z.string(), z.unknown()),
  exportedAt: z.string(),
  versions: z.record(z.string(), z.string()),
});
export type JobFile = z.infer<typeof jobFileSchema>;

/** The job.json in `dir`, or null when there is none (a plain PEFT + Trainer folder). */
export function readJobFile(dir: string): JobFile | null {
  const file = join(dir, JOB_FILE);
  if (!existsSync(file)) return null;
  const parsed = jobFileSchema.safeParse(readJsonFile(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LoraLabError('VALIDATION', `${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  return parsed.data;
}

/** A small JSON file of a job folder; a syntax error says where, never the file's bytes. */
export function readJsonFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LoraLabError('VALIDATION', `${file}: ${notValidJson(err, text)}`);
  }
}

// Monaco with only what the config editor needs: the editor core and its standard
// contributions (hover, completion, find, folding, …), YAML highlighting, and
// monaco-yaml's language service, which validates against the run config's JSON
// Schema and completes and explains every key. This module is a chunk of its own,
// imported only when the config editor mounts (ConfigEditor.tsx); the two web
// workers are separate bundles beside it and app.js (scripts/build.mjs), and
// getWorker hands Monaco the right one, found relative to this chunk's URL.
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import { configureMonacoYaml } from 'monaco-yaml';
import { RUN_CONFIG_SCHEMA_URI, runConfigJsonSchema } from '../../../shared/config/json-schema';

/** The model URI the schema is matched to (YAML and JSON are both edited as YAML: JSON is YAML 1.2). */
export const CONFIG_MODEL_URI = 'file:///loralab/run-config.yaml';

let configured = false;

export function setupMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;
  self.MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      const file = label === 'yaml' ? './yaml.worker.js' : './editor.worker.js';
      return new Worker(new URL(file, import.meta.url), { name: label });
    },
  };
  configureMonacoYaml(withLegacyWorkers(monaco), {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: [{ uri: RUN_CONFIG_SCHEMA_URI, fileMatch: [CONFIG_MODEL_URI], schema: runConfigJsonSchema() as never }],
  });
  return monaco;
}

/**
 * monaco-yaml (through monaco-worker-manager) still creates its worker the
 * pre-0.55 way, editor.createWebWorker({ label, moduleId, createData }); Monaco
 * 0.57 takes a Worker instead. This adapter does what Monaco's own language
 * features do now (monaco-editor esm/vs/internal/common/workers.js): get the
 * worker from MonacoEnvironment and post it a wake-up message, then createData.
 */
function withLegacyWorkers(m: typeof monaco): typeof monaco {
  interface LegacyOptions {
    label?: string;
    moduleId?: string;
    createData?: unknown;
    host?: Record<string, (...args: unknown[]) => unknown>;
    keepIdleModels?: boolean;
  }
  const createWebWorker = (opts: LegacyOptions) => {
    const worker = self.MonacoEnvironment!.getWorker!(opts.moduleId ?? 'workerMain.js', opts.label ?? 'editorWorkerService') as Worker;
    worker.postMessage('ignore');
    worker.postMessage(opts.createData);
    return m.editor.createWebWorker({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels });
  };
  return { ...m, editor: { ...m.editor, createWebWorker } } as unknown as typeof monaco;
}

export type Monaco = typeof monaco;
export type { editor as MonacoEditorNs } from 'monaco-editor/editor/editor.api.js';

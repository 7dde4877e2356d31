// Monaco with only what the config editor needs: the editor core and its standard
// contributions (hover, completion, find, folding, …), YAML highlighting, and
// monaco-yaml's language service, which validates against the run config's JSON
// Schema and completes and explains every key. The two web workers are separate
// bundles beside app.js (scripts/build.mjs); getWorker hands Monaco the right one.
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
  configureMonacoYaml(monaco, {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: [{ uri: RUN_CONFIG_SCHEMA_URI, fileMatch: [CONFIG_MODEL_URI], schema: runConfigJsonSchema() as never }],
  });
  return monaco;
}

export type Monaco = typeof monaco;
export type { editor as MonacoEditorNs } from 'monaco-editor/editor/editor.api.js';

// The run config as JSON Schema, generated from the zod schema (zod 4's
// z.toJSONSchema), for the New run editor: monaco-yaml validates, completes and
// explains every key from it. The zod schema stays the one source of truth; its
// .describe() texts become the schema's `description`s (the hover help).
import { z } from 'zod';
import { runConfigSchema } from './run-config';

/** The URI the editor's model is matched to; any stable, unique id will do. */
export const RUN_CONFIG_SCHEMA_URI = 'loralab://schemas/run-config.json';

export type JsonSchema = Record<string, unknown>;

/**
 * What a user may WRITE (io: 'input'): keys with defaults are optional. Draft-07,
 * the newest draft monaco-yaml's language service (vscode-json-languageservice) reads.
 */
export function runConfigJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(runConfigSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
  return { ...schema, title: 'LoRA Lab run config', $id: RUN_CONFIG_SCHEMA_URI };
}

/** Every object property of a JSON Schema, as dotted paths with the property's schema (for tests and help). */
export function schemaProperties(schema: JsonSchema, prefix = ''): Array<{ path: string; schema: JsonSchema }> {
  const out: Array<{ path: string; schema: JsonSchema }> = [];
  const visit = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as JsonSchema;
    const props = n.properties as Record<string, JsonSchema> | undefined;
    if (props) {
      for (const [key, child] of Object.entries(props)) {
        const path = at ? `${at}.${key}` : key;
        out.push({ path, schema: child });
        visit(child, path);
      }
    }
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = n[k];
      if (Array.isArray(list)) for (const sub of list) visit(sub, at);
    }
  };
  visit(schema, prefix);
  return out;
}

// The registered methods by name, and by the peft_type of the adapter folders
// they read and write. Adding a method is a folder exporting one AdapterMethod and
// one line here (plus its pure descriptor in src/shared/config/methods.ts).
import type { Method, RunConfig } from '../../../shared/config/run-config';
import { adaloraMethod } from './adalora/index';
import { fullMethod } from './full/index';
import { loraMethod } from './lora/index';
import type { AdapterMethod, ConfigIssue } from './method';
import { AdapterError, readAdapterConfig } from './peft-files';
import { qloraMethod } from './qlora/index';

const METHODS: Readonly<Record<Method, AdapterMethod>> = {
  lora: loraMethod,
  qlora: qloraMethod,
  adalora: adaloraMethod,
  full: fullMethod,
};

export function getMethod(name: Method): AdapterMethod {
  const method = METHODS[name];
  if (!method) throw new AdapterError(`method "${name}" is not registered (registered: ${Object.keys(METHODS).join(', ')})`);
  return method;
}

/** The method that loads adapters of this peft_type: LORA is LoRA's (a QLoRA adapter is an ordinary LoRA adapter). */
export function methodForPeftType(peftType: string): AdapterMethod | undefined {
  return Object.values(METHODS).find((m) => m.info.peftType === peftType && m.load);
}

export const loadablePeftTypes = (): string[] => [...new Set(Object.values(METHODS).filter((m) => m.load).map((m) => m.info.peftType!))];

/**
 * Every problem of a schema-valid config that the engine knows before anything runs:
 * the method's own checks and, with init_from resolved to a folder, whether that
 * adapter can continue under this config. Callers refuse the run on any issue.
 */
export function checkRunConfig(config: RunConfig, initFromDir: string | null): ConfigIssue[] {
  const method = getMethod(config.method);
  const issues = method.checkConfig(config);
  if (initFromDir !== null) {
    const adapterConfig = readAdapterConfig(initFromDir);
    issues.push(...(method.checkInitFrom?.(config, adapterConfig, initFromDir) ?? [{ path: ['init_from'], message: `method ${config.method} cannot continue an adapter` }]));
  }
  return issues;
}

import type { RequestOf } from '../../../shared/ipc/contract';

export interface Sampling {
  temperature: string;
  topP: string;
  maxNewTokens: string;
  seed: string;
}

export const DEFAULT_SAMPLING: Sampling = { temperature: '0', topP: '1', maxNewTokens: '64', seed: '0' };

type SamplingRequest = Pick<RequestOf<'generate.start'>, 'temperature' | 'topP' | 'maxNewTokens' | 'seed'>;

/** The sampling settings as request fields, or what is wrong with them. */
export function samplingRequest(s: Sampling): SamplingRequest | string {
  const temperature = Number(s.temperature);
  const topP = Number(s.topP);
  const maxNewTokens = Number(s.maxNewTokens);
  const seed = Number(s.seed);
  if (s.temperature.trim() === '' || !Number.isFinite(temperature) || temperature < 0) return 'Temperature: 0 (greedy) or more.';
  if (s.topP.trim() === '' || !(topP > 0 && topP <= 1)) return 'Top-p: above 0, at most 1.';
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1 || maxNewTokens > 4096) return 'Max new tokens: 1 to 4096.';
  if (!Number.isInteger(seed) || seed < 0) return 'Seed: a whole number, 0 or more.';
  return { temperature, topP, maxNewTokens, seed };
}

export function SamplingFields({ value, onChange }: { value: Sampling; onChange: (s: Sampling) => void }) {
  const field = (key: keyof Sampling, label: string, hint: string, step: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        step={step}
        min={0}
        value={value[key]}
        onChange={(e) => onChange({ ...value, [key]: e.target.value })}
        title={hint}
        data-testid={`play-${key}`}
      />
    </label>
  );
  return (
    <>
      {field('temperature', 'Temperature', '0 decodes greedily; higher samples more freely', '0.1')}
      {field('topP', 'Top-p', 'Sample only from the smallest set of tokens whose probability reaches p', '0.05')}
      {field('maxNewTokens', 'Max new tokens', 'Generation stops here or at the end-of-sequence token', '1')}
      {field('seed', 'Seed', 'The same seed and settings give the same text', '1')}
    </>
  );
}

// `loralab runs list|show <id>|stop <id>|delete <id>|tag <id> [tags…] [--json]`:
// the registry's runs through the runs service (the same answers as the workbench).
import { METRIC } from '../../../shared/ipc/metric-names';
import type { RankPoint, RunDetail } from '../../../shared/ipc/schemas';
import { createServices, type Services } from '../../services/index';
import { flag, str, UsageError, type Parsed } from '../args';

/** AdaLoRA: each adapted matrix's rank at the last masking step (empty for other methods). */
function finalRanks(ranks: readonly RankPoint[]): { module: string; rank: number }[] {
  const last = ranks.at(-1)?.step;
  return ranks.filter((r) => r.step === last).map(({ module, rank }) => ({ module, rank }));
}

function runId(text: string | undefined): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`expected a run id, got ${text ?? 'nothing'}; see \`loralab runs list\``);
  return id;
}

export async function runs(args: Parsed): Promise<number> {
  const [sub = 'list', idText, ...rest] = args.positionals;
  const json = flag(args, 'json');
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend') });
  const print = (value: unknown, text: string) => process.stdout.write(json ? JSON.stringify(value) + '\n' : text);
  try {
    if (sub === 'list') {
      const list = services.runs.list();
      print({ runs: list }, formatList(list));
    } else if (sub === 'show') {
      const detail = services.runs.get(runId(idText));
      const ranks = finalRanks(services.runs.ranks(detail.id));
      const points = services.registry.metrics.forRun(detail.id, { names: [METRIC.loss] }).length;
      print({ ...detail, finalRanks: ranks, lossPoints: points }, formatShow(detail, ranks, points));
    } else if (sub === 'stop') {
      const id = runId(idText);
      const { stopping } = services.runs.stop(id);
      if (stopping) {
        await waitUntilFinal(services, id);
        const run = services.runs.get(id);
        print({ runId: id, stopping, status: run.status }, `run ${id} ${run.status}\n`);
      } else print({ runId: id, stopping }, `run ${id} is not running\n`);
      return stopping ? 0 : 1;
    } else if (sub === 'delete') {
      const id = runId(idText);
      print({ runId: id, ...services.runs.delete(id) }, `deleted run ${id}\n`);
    } else if (sub === 'tag') {
      const id = runId(idText);
      const { tags } = services.runs.setTags(id, rest);
      print({ runId: id, tags }, `run ${id}: ${tags.join(', ') || '(no tags)'}\n`);
    } else throw new UsageError(`unknown runs command "${sub}": use list, show, stop, delete or tag`);
    return 0;
  } finally {
    await services.close();
  }
}

/** `runs stop` waits for the engine to record its outcome (a checkpoint is written first). */
async function waitUntilFinal(services: Services, id: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { status } = services.runs.get(id);
    if (status !== 'running' && status !== 'queued') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const kb = (b: number | null) => (b === null ? '-' : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} KB`);

function formatList(list: ReturnType<Services['runs']['list']>): string {
  const head = `${'id'.padStart(5)}  ${'status'.padEnd(9)}  ${'method'.padEnd(7)}  ${'rank'.padStart(4)}  ${'step'.padStart(6)}  ${'loss'.padStart(8)}  ${'best eval'.padStart(9)}  ${'adapter'.padStart(9)}  name\n`;
  return (
    head +
    list
      .map((r) => {
        const f = (v: number | null) => (v === null ? '-' : v.toFixed(4));
        return `${String(r.id).padStart(5)}  ${r.status.padEnd(9)}  ${r.method.padEnd(7)}  ${String(r.rank ?? '-').padStart(4)}  ${String(r.lastStep ?? '-').padStart(6)}  ${f(r.lastLoss).padStart(8)}  ${f(r.bestEvalLoss).padStart(9)}  ${kb(r.adapterBytes).padStart(9)}  ${r.name}${r.tags.length ? `  [${r.tags.join(', ')}]` : ''}\n`;
      })
      .join('')
  );
}

function formatShow(run: RunDetail, ranks: { module: string; rank: number }[], points: number): string {
  const chain = run.lineage.length ? [run.id, ...run.lineage].map((r) => `#${r}`).join(' ← ') : '-';
  const lines = [
    `run ${run.id}: ${run.name}`,
    `status   ${run.status}${run.error ? ` (${run.error})` : ''}${run.engineAlive ? ` (engine pid ${run.pid})` : ''}`,
    `method   ${run.method}${run.rank === null ? '' : ` r=${run.rank}`} on ${run.baseModel}`,
    `lineage  ${chain}${run.children.length ? ` (continued by ${run.children.map((c) => `#${c}`).join(', ')})` : ''}`,
    `steps    ${run.lastStep ?? '-'} (${points} loss points)${run.bestEvalLoss === null ? '' : `; best eval loss ${run.bestEvalLoss.toFixed(4)}`}`,
  ];
  if (run.tags.length) lines.push(`tags     ${run.tags.join(', ')}`);
  for (const c of run.checkpoints) lines.push(`checkpoint step ${c.step}: ${c.path}`);
  for (const a of run.artifacts) lines.push(`${a.kind.padEnd(8)} ${a.path}`);
  if (ranks.length) lines.push(`ranks    ${ranks.map((r) => `${r.module}=${r.rank}`).join(' ')}`);
  lines.push(`config   ${JSON.stringify(run.config, null, 2).replace(/\n/g, '\n         ')}`);
  return lines.join('\n') + '\n';
}

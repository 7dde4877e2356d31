// `loralab runs list|show <id> [--json]`: reads the registry.
import { toSummary } from '../../services/runs';
import { defaultRegistryPath, openRegistry } from '../../registry/index';
import { flag, str, UsageError, type Parsed } from '../args';

export async function runs(args: Parsed): Promise<number> {
  const [sub, idText] = args.positionals;
  const registry = openRegistry(str(args, 'registry') ?? defaultRegistryPath());
  const json = flag(args, 'json');
  try {
    if (sub === 'list' || sub === undefined) {
      const list = registry.runs.list().map((r) => toSummary(registry, r));
      if (json) process.stdout.write(JSON.stringify({ runs: list }) + '\n');
      else {
        process.stdout.write(`${'id'.padStart(5)}  ${'status'.padEnd(9)}  ${'method'.padEnd(7)}  ${'step'.padStart(6)}  ${'loss'.padStart(8)}  name\n`);
        for (const r of list) {
          const loss = r.lastLoss === null ? '-' : r.lastLoss.toFixed(4);
          process.stdout.write(
            `${String(r.id).padStart(5)}  ${r.status.padEnd(9)}  ${r.method.padEnd(7)}  ${String(r.lastStep ?? '-').padStart(6)}  ${loss.padStart(8)}  ${r.name}\n`,
          );
        }
      }
      return 0;
    }
    if (sub === 'show') {
      const id = Number(idText);
      const run = Number.isInteger(id) ? registry.runs.get(id) : undefined;
      if (!run) throw new UsageError(`no run ${idText ?? '(missing id)'}; see \`loralab runs list\``);
      // The chain of runs this one continues, nearest first (init_from, recorded as parent).
      const lineage: number[] = [];
      for (let p = run.parentRunId; p !== null && !lineage.includes(p); p = registry.runs.get(p)?.parentRunId ?? null) lineage.push(p);
      const children = registry.runs.list().filter((r) => r.parentRunId === id).map((r) => r.id);
      const detail = { ...toSummary(registry, run), config: run.config, tags: registry.tags.forRun(id), lineage, children };
      const points = registry.metrics.forRun(id, { names: ['loss'] }).length;
      if (json) process.stdout.write(JSON.stringify({ ...detail, lossPoints: points }) + '\n');
      else {
        process.stdout.write(`run ${run.id}: ${run.name}\nstatus   ${run.status}${run.error ? ` (${run.error})` : ''}\n`);
        const chain = lineage.length ? [run.id, ...lineage].map((r) => `#${r}`).join(' ← ') : '-';
        process.stdout.write(`method   ${run.method}\nlineage  ${chain}${children.length ? ` (continued by ${children.map((c) => `#${c}`).join(', ')})` : ''}\nsteps    ${detail.lastStep ?? '-'} (${points} loss points)\n`);
        process.stdout.write(`config   ${JSON.stringify(run.config, null, 2).replace(/\n/g, '\n         ')}\n`);
      }
      return 0;
    }
    throw new UsageError(`unknown runs command "${sub}": use list or show <id>`);
  } finally {
    registry.close();
  }
}

// AdaLoRA's budget at work: the rank each adapted matrix keeps at every masking
// step, as a heatmap (rows: matrices, columns: steps, the stronger the colour, the more rank).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { client } from '../../api/client';
import { useElementWidth } from '../../components/useElementWidth';
import { readChartTheme, useColorScheme } from '../../components/chart/chart-theme';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { rankGrid, type RankGrid } from './rank-grid';
import type { RankPoint } from '../../../shared/ipc/schemas';

const ROW = 14;
const LABEL = 150;

export function RankHeatmapCard({ runId, active }: { runId: number; active: boolean }) {
  const [points, setPoints] = useState<RankPoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      client.request('runs.ranks', { runId }).then(
        (p) => live && (setPoints(p), setError(null)),
        (err: unknown) => live && setError(errorMessage(err)),
      );
    void load();
    const timer = active ? window.setInterval(load, 3000) : undefined;
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [runId, active]);
  const grid = useMemo(() => (points ? rankGrid(points) : null), [points]);
  return (
    <section className="card" aria-labelledby="ranks-title" data-testid="rank-heatmap" data-modules={grid?.modules.length ?? 0} data-steps={grid?.steps.length ?? 0}>
      <h2 id="ranks-title">AdaLoRA rank per matrix</h2>
      {error && <p className="error-message">Could not read the ranks: {error}</p>}
      {grid && grid.steps.length === 0 && <p className="muted">No rank allocation recorded yet (AdaLoRA masks ranks between its tinit and tfinal steps).</p>}
      {grid && grid.steps.length > 0 && <Heatmap grid={grid} />}
    </section>
  );
}

function Heatmap({ grid }: { grid: RankGrid }) {
  const [ref, width] = useElementWidth<HTMLDivElement>(640);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [cell, setCell] = useState<{ r: number; c: number } | null>(null);
  const scheme = useColorScheme();
  const cols = grid.steps.length;
  const rows = grid.modules.length;
  const cellW = Math.max(1, (width - LABEL) / cols);
  const height = rows * ROW + 20;

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const theme = readChartTheme();
    const css = getComputedStyle(document.documentElement);
    const low = css.getPropertyValue('--heat-low').trim() || '#eef2ff';
    const high = css.getPropertyValue('--heat-high').trim() || '#1e3a8a';
    const ratio = window.devicePixelRatio || 1;
    el.width = Math.round(width * ratio);
    el.height = Math.round(height * ratio);
    const ctx = el.getContext('2d')!;
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    ctx.font = theme.font;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = theme.text;
    for (let r = 0; r < rows; r++) ctx.fillText(grid.labels[r]!, 0, r * ROW + ROW / 2, LABEL - 6);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = grid.cells[r * cols + c]!;
        ctx.fillStyle = v < 0 ? theme.grid : mix(low, high, grid.maxRank > 0 ? v / grid.maxRank : 0);
        ctx.fillRect(LABEL + c * cellW, r * ROW, Math.ceil(cellW), ROW - 1);
      }
    }
    ctx.fillStyle = theme.text;
    ctx.fillText(`step ${formatInteger(grid.steps[0])}`, LABEL, rows * ROW + 10);
    const last = `step ${formatInteger(grid.steps[cols - 1])}`;
    ctx.fillText(last, width - ctx.measureText(last).width, rows * ROW + 10);
  }, [grid, width, height, cellW, rows, cols, scheme]);

  const pick = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const c = Math.floor((e.clientX - rect.left - LABEL) / cellW);
    const r = Math.floor((e.clientY - rect.top) / ROW);
    setCell(c >= 0 && c < cols && r >= 0 && r < rows ? { r, c } : null);
  };
  const onKey = (e: KeyboardEvent) => {
    const at = cell ?? { r: 0, c: cols - 1 };
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    setCell({ r: Math.min(rows - 1, Math.max(0, at.r + m[0])), c: Math.min(cols - 1, Math.max(0, at.c + m[1])) });
  };
  const value = cell ? grid.cells[cell.r * cols + cell.c]! : null;
  return (
    <div ref={ref}>
      <p className="chart-readout" aria-live="polite" data-testid="rank-readout">
        {cell
          ? `${grid.modules[cell.r]} at step ${formatInteger(grid.steps[cell.c])}: rank ${value! < 0 ? '—' : value}`
          : `${rows} matrices, ${cols} masking steps, highest rank ${grid.maxRank} (the stronger the colour, the more rank). Hover or use the arrow keys for a cell.`}
      </p>
      <canvas
        ref={canvas}
        style={{ width, height }}
        tabIndex={0}
        role="img"
        aria-label={`Rank of ${rows} adapted matrices over ${cols} steps`}
        onPointerMove={pick}
        onPointerLeave={() => setCell(null)}
        onKeyDown={onKey}
      />
    </div>
  );
}

/** Linear blend of two #rrggbb colours. */
function mix(a: string, b: string, t: number): string {
  const pa = hex(a);
  const pb = hex(b);
  if (!pa || !pb) return t > 0.5 ? b : a;
  const c = pa.map((v, i) => Math.round(v + (pb[i]! - v) * Math.min(1, Math.max(0, t))));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

function hex(color: string): number[] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return m ? [1, 2, 3].map((i) => parseInt(m[i]!, 16)) : null;
}

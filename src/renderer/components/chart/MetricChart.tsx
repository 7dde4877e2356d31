// A metric chart on uPlot's canvas: 100,000 points draw in milliseconds (uPlot
// reduces each pixel column to its extremes while it builds the path). Drag to zoom
// into a step range, double-click or "Reset zoom" to see everything; the readout
// shows every series at the hovered x; a series without a point there (eval loss
// between evaluations, a run past its end) reads "—" and names the x of its latest
// value, so that value is not taken for one measured at the hovered step. From the keyboard: focus the chart, ←/→ move the readout (Shift: ten
// points), + and − zoom around it, 0 resets.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { errorMessage } from '../../lib/errors';
import { useElementWidth } from '../useElementWidth';
import { readChartTheme, useColorScheme, type ChartTheme } from './chart-theme';
import { downloadChartPng } from './export-png';
import { alignSeries, nearestIndex, positiveOnly, readoutAt, smoothEma, zoomRange, type XYSeries } from './series-data';

export interface ChartSeries {
  label: string;
  data: XYSeries;
  /** Colour slot 0..9 (CSS variables --chart-1 … --chart-10). */
  color: number;
  dashed?: boolean;
  /** Mark every point (sparse series such as eval loss). */
  markers?: boolean;
}

export interface MetricChartProps {
  title: string;
  testId: string;
  series: readonly ChartSeries[];
  xLabel: string;
  log?: boolean;
  /** EMA weight 0..0.99; above 0 the raw line stays visible, faint. */
  smoothing?: number;
  height?: number;
  /** Charts with the same key move their cursors together. */
  syncKey?: string;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  /** Ticks on whole x values only (training steps). */
  integerX?: boolean;
  emptyText?: string;
}

const defaultFormat = (v: number) =>
  Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(5)));

export function MetricChart(props: MetricChartProps) {
  const { title, testId, series, xLabel, log = false, smoothing = 0, height = 240, syncKey, integerX = false, emptyText = 'waiting for the first step…' } = props;
  const formatX = props.formatX ?? defaultFormat;
  const formatY = props.formatY ?? defaultFormat;
  const [containerRef, width] = useElementWidth<HTMLDivElement>(600);
  const plotRef = useRef<HTMLDivElement | null>(null);
  const frameRef = useRef<HTMLDivElement | null>(null);
  const uRef = useRef<uPlot | null>(null);
  const drawnDataRef = useRef<unknown>(null);
  const zoomedRef = useRef(false);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [zoomed, setZoomed] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const scheme = useColorScheme();
  const theme = useMemo<ChartTheme>(() => readChartTheme(), [scheme]); // re-read on a scheme change

  // What is drawn: with smoothing, each series as a faint raw line plus its smoothed line.
  const drawn = useMemo(() => {
    const out: { label: string; data: XYSeries; color: string; dashed: boolean; markers: boolean; faint: boolean }[] = [];
    for (const s of series) {
      const color = theme.series[s.color % theme.series.length]!;
      const base = { label: s.label, color, dashed: !!s.dashed, markers: !!s.markers };
      if (smoothing > 0 && !s.markers) {
        out.push({ ...base, data: s.data, faint: true, markers: false });
        out.push({ ...base, data: { xs: s.data.xs, ys: smoothEma(s.data.ys, smoothing) as number[] }, faint: false });
      } else out.push({ ...base, data: s.data, faint: false });
    }
    return out;
  }, [series, smoothing, theme]);

  const aligned = useMemo(() => {
    const data = alignSeries(drawn.map((d) => d.data));
    if (log) for (let i = 1; i < data.length; i++) data[i] = positiveOnly(data[i] as (number | null)[]);
    return data;
  }, [drawn, log]);

  const shapeKey = drawn.map((d) => `${d.label}|${d.color}|${d.dashed}|${d.markers}|${d.faint}`).join(';');

  // (Re)create the plot when its shape changes: series, scale type, theme, height.
  useEffect(() => {
    const el = plotRef.current;
    if (!el) return;
    // The frame is laid out by now: its real width spares a resize and a second draw.
    const startWidth = Math.max(200, frameRef.current?.clientWidth || width);
    const opts: uPlot.Options = {
      width: startWidth,
      height,
      legend: { show: false },
      scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : {} },
      cursor: {
        sync: syncKey ? { key: syncKey } : undefined,
        drag: { x: true, y: false, setScale: true },
        points: { size: 6 },
      },
      axes: [
        { ...axis(theme, xLabel, (v) => formatX(v)), ...(integerX ? { incrs: INTEGER_INCREMENTS } : {}) },
        axis(theme, null, (v) => formatY(v)),
      ],
      series: [
        {},
        ...drawn.map((d) => ({
          label: d.label,
          stroke: d.faint ? fade(d.color) : d.color,
          width: d.faint ? 1 : 1.75,
          dash: d.dashed ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: d.markers, size: 5, fill: d.color },
        })),
      ],
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            setHoverX(idx === null || idx === undefined ? null : (u.data[0][idx] ?? null));
          },
        ],
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            const xs = u.data[0];
            const min = u.scales.x!.min;
            const max = u.scales.x!.max;
            const isZoomed = xs.length > 1 && min !== undefined && max !== undefined && (min > xs[0]! || max < xs[xs.length - 1]!);
            zoomedRef.current = isZoomed;
            setZoomed(isZoomed);
          },
        ],
        draw: [(u) => stampDrawn(frameRef.current, u)],
      },
    };
    const u = new uPlot(opts, aligned as uPlot.AlignedData, el);
    uRef.current = u;
    drawnDataRef.current = aligned;
    return () => {
      u.destroy();
      uRef.current = null;
    };
    // `aligned` and `width` are applied by the effects below without rebuilding.
  }, [shapeKey, log, theme, height, syncKey, xLabel, integerX]);

  useEffect(() => {
    const u = uRef.current;
    // A plot just created already holds this data; drawing it again would double the cost.
    if (!u || drawnDataRef.current === aligned) return;
    drawnDataRef.current = aligned;
    // While zoomed, new live points arrive without yanking the view back out.
    u.setData(aligned as uPlot.AlignedData, !zoomedRef.current);
  }, [aligned]);

  useEffect(() => {
    const u = uRef.current;
    const w = Math.max(200, width);
    if (u && (u.width !== w || u.height !== height)) u.setSize({ width: w, height });
  }, [width, height]);

  const xs = aligned[0];
  const hasData = xs.length > 0;
  const focusX = hoverX ?? (hasData ? xs[xs.length - 1]! : null);
  const readout = drawn
    .filter((d) => !d.faint)
    .map((d) => ({ d, p: focusX === null ? null : readoutAt(d.data, focusX, d.markers) }));
  const primary = series[0]?.data;

  const resetZoom = () => {
    const u = uRef.current;
    if (!u || !hasData) return;
    u.setScale('x', { min: xs[0]!, max: xs[xs.length - 1]! });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const u = uRef.current;
    if (!u || !hasData) return;
    const bounds = { min: xs[0]!, max: xs[xs.length - 1]! };
    const current = { min: u.scales.x!.min ?? bounds.min, max: u.scales.x!.max ?? bounds.max };
    const at = nearestIndex(xs, focusX ?? bounds.max);
    const moveTo = (i: number) => {
      const x = xs[Math.min(xs.length - 1, Math.max(0, i))]!;
      if (x < current.min || x > current.max) {
        const span = current.max - current.min;
        u.setScale('x', zoomRange({ min: x - span / 2, max: x + span / 2 }, x, 1, bounds));
      }
      u.setCursor({ left: u.valToPos(x, 'x'), top: u.over.clientHeight / 2 });
    };
    const step = e.shiftKey ? 10 : 1;
    if (e.key === 'ArrowLeft') moveTo(at - step);
    else if (e.key === 'ArrowRight') moveTo(at + step);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(xs.length - 1);
    else if (e.key === '+' || e.key === '=') u.setScale('x', zoomRange(current, focusX ?? bounds.max, 0.5, bounds));
    else if (e.key === '-' || e.key === '_') u.setScale('x', zoomRange(current, focusX ?? bounds.max, 2, bounds));
    else if (e.key === '0' || e.key === 'Escape') resetZoom();
    else return;
    e.preventDefault();
  };

  const exportPng = () => {
    const u = uRef.current;
    if (!u) return;
    setExportError(null);
    const legend = drawn.filter((d) => !d.faint).map((d) => ({ label: d.label, color: d.color, dashed: d.dashed }));
    downloadChartPng(u, title, legend, theme).catch((err: unknown) => setExportError(errorMessage(err)));
  };

  return (
    <figure className="metric-chart" data-testid={testId} data-series={series.map((s) => s.label).join(',')}
      data-points={primary?.xs.length ?? 0} data-last-x={primary && primary.xs.length ? primary.xs[primary.xs.length - 1] : ''}>
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
        <span className="metric-chart-tools">
          {zoomed && (
            <button type="button" className="button small" onClick={resetZoom} data-testid={`${testId}-reset-zoom`}>
              Reset zoom
            </button>
          )}
          <button type="button" className="button small" onClick={exportPng} disabled={!hasData} data-testid={`${testId}-png`}
            aria-label={`Download ${title} as PNG`}>
            PNG
          </button>
        </span>
      </figcaption>
      <div className="chart-readout" data-testid={`${testId}-readout`} aria-live="off">
        {focusX !== null && <span className="readout-step">{xLabel} {formatX(focusX)}</span>}
        {readout.map(({ d, p }) => (
          <span key={d.label} className="readout-item">
            <span className={`legend-swatch${d.dashed ? ' dashed' : ''}`} style={{ borderTopColor: d.color }} aria-hidden="true" />
            <span className="readout-label">{d.label}</span>{' '}
            {p?.measured ? (
              formatY(p.y)
            ) : (
              <>
                —{p && <span className="readout-last"> (last {formatY(p.y)} at {xLabel} {formatX(p.x)})</span>}
              </>
            )}
          </span>
        ))}
      </div>
      <div
        ref={(el) => {
          frameRef.current = el;
          containerRef(el);
        }}
        className="chart-frame"
        tabIndex={0}
        role="img"
        aria-label={`${title} by ${xLabel}. Arrow keys move the readout, plus and minus zoom, 0 resets.`}
        onKeyDown={onKeyDown}
        onDoubleClick={resetZoom}
      >
        <div ref={plotRef} />
        {!hasData && <div className="chart-empty">{emptyText}</div>}
      </div>
      {exportError && <p className="error-message">Could not export the chart: {exportError}</p>}
    </figure>
  );
}

/** Tick spacings for a whole-number axis: 1, 2, 5, 10, 20, 25, 50, … */
const INTEGER_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p)).concat([25, 250, 2500, 25000]).sort((a, b) => a - b);

function axis(theme: ChartTheme, label: string | null, format: (v: number) => string): uPlot.Axis {
  return {
    stroke: theme.text,
    font: theme.font,
    labelFont: theme.font,
    label: label ?? undefined,
    labelSize: label ? 18 : 0,
    size: label ? 36 : 64,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : format(v))),
  };
}

/** The colour at a quarter of its opacity, for the raw line under a smoothed one. */
function fade(color: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  return hex ? `#${hex[1]}44` : color;
}

/** What the last draw showed, on the DOM, for tests and the UI benchmark. */
function stampDrawn(frame: HTMLElement | null, u: uPlot): void {
  const fig = frame?.parentElement;
  if (!fig) return;
  const xs = u.data[0];
  fig.dataset.drawnPoints = String(xs.length);
  fig.dataset.drawnLastX = xs.length ? String(xs[xs.length - 1]) : '';
  fig.dataset.drawnAt = String(performance.now());
}

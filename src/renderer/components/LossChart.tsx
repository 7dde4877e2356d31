// A live loss chart drawn as plain SVG: one line per loss-like metric, nice ticks, and
// a readout of the points nearest the pointer (the latest points when not hovering).
// Long runs are downsampled for drawing only; the readout and data-points use every
// point held in state.
import { useMemo, useState, type PointerEvent } from 'react';
import { formatLoss } from '../lib/format';
import { layoutChart, lossSeries } from './chart-layout';
import { formatTick, nearestByStep, type StepValue } from './chart-math';
import { useElementWidth } from './useElementWidth';

/** Above this many drawn points the eval markers would merge into a smear. */
const MAX_MARKERS = 300;

export interface LossChartProps {
  /** Points per metric name, each ascending by step. */
  series: ReadonlyMap<string, readonly StepValue[]>;
  height?: number;
}

export function LossChart({ series, height = 300 }: LossChartProps) {
  const [containerRef, width] = useElementWidth<HTMLDivElement>(640);
  const [hoverStep, setHoverStep] = useState<number | null>(null);
  const entries = useMemo(() => lossSeries(series), [series]);
  const layout = useMemo(() => layoutChart(entries, width, height), [entries, width, height]);
  const { box, x, y, xTicks, yTicks } = layout;

  const loss = series.get('loss') ?? [];
  const lastStep = loss[loss.length - 1]?.step;
  const primary = layout.series[0];
  const focusStep = hoverStep ?? primary?.points[primary.points.length - 1]?.step ?? null;
  const focus =
    focusStep === null
      ? []
      : layout.series.flatMap((s, index) => {
          const p = nearestByStep(s.points, focusStep);
          return p ? [{ name: s.name, index, point: p }] : [];
        });
  const guide = focus[0]?.point;

  const onPointerMove = (e: PointerEvent<SVGRectElement>) => {
    const rect = e.currentTarget.ownerSVGElement?.getBoundingClientRect();
    if (!rect || layout.empty) return;
    setHoverStep(x.invert(e.clientX - rect.left));
  };

  return (
    <div className="chart" ref={containerRef}>
      <div className="chart-legend">
        {layout.series.map((s, i) => (
          <span key={s.name} className={`legend-item ${seriesClass(s.name, i)}`}>
            <span className="legend-swatch" aria-hidden="true" />
            {s.name}
          </span>
        ))}
      </div>
      <svg
        data-testid="loss-chart"
        data-points={loss.length}
        data-last-step={lastStep ?? ''}
        data-series={layout.series.map((s) => s.name).join(',')}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Loss by training step, ${loss.length} points`}
      >
        <g className="chart-grid">
          {yTicks.values.map((v) => (
            <line key={v} x1={box.left} x2={box.left + box.width} y1={y(v)} y2={y(v)} />
          ))}
        </g>
        <g className="chart-axis chart-axis-y">
          {yTicks.values.map((v) => (
            <text key={v} x={box.left - 8} y={y(v)} dy="0.32em" textAnchor="end">
              {formatTick(v, yTicks.step)}
            </text>
          ))}
        </g>
        <g className="chart-axis chart-axis-x">
          <line x1={box.left} x2={box.left + box.width} y1={box.top + box.height} y2={box.top + box.height} />
          {!layout.empty &&
            xTicks.values.map((v) => (
              <g key={v} transform={`translate(${x(v)},${box.top + box.height})`}>
                <line y2={5} />
                <text y={18} textAnchor="middle">
                  {formatTick(v, xTicks.step)}
                </text>
              </g>
            ))}
          <text className="chart-axis-title" x={box.left + box.width} y={box.top + box.height + 30} textAnchor="end">
            step
          </text>
        </g>
        {layout.empty ? (
          <text className="chart-empty" x={box.left + box.width / 2} y={box.top + box.height / 2} textAnchor="middle">
            waiting for the first step…
          </text>
        ) : (
          layout.series.map((s, i) => (
            <g key={s.name} className={`chart-series ${seriesClass(s.name, i)}`} data-series-name={s.name}>
              <path d={s.path} />
              {isEval(s.name) &&
                s.drawn.length <= MAX_MARKERS &&
                s.drawn.map((p) =>
                  Number.isFinite(p.value) ? <circle key={p.step} cx={x(p.step)} cy={y(p.value)} r={3} /> : null,
                )}
            </g>
          ))
        )}
        {hoverStep !== null && guide && (
          <g className="chart-focus">
            <line x1={x(guide.step)} x2={x(guide.step)} y1={box.top} y2={box.top + box.height} />
            {focus.map((f) =>
              Number.isFinite(f.point.value) ? (
                <circle
                  key={f.name}
                  className={seriesClass(f.name, f.index)}
                  cx={x(f.point.step)}
                  cy={y(f.point.value)}
                  r={4}
                />
              ) : null,
            )}
          </g>
        )}
        <rect
          className="chart-hit"
          x={box.left}
          y={box.top}
          width={box.width}
          height={box.height}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHoverStep(null)}
        />
      </svg>
      <div className="chart-readout" data-testid="chart-readout" aria-live="off">
        {focus.length === 0 ? (
          <span>&nbsp;</span>
        ) : (
          <>
            <span className="readout-label">{hoverStep === null ? 'latest' : 'at'}</span>
            {focus.map((f) => (
              <span key={f.name} className={`readout-item ${seriesClass(f.name, f.index)}`}>
                <span className="legend-swatch" aria-hidden="true" />
                {f.name} {formatLoss(f.point.value)} <span className="readout-step">(step {f.point.step})</span>
              </span>
            ))}
          </>
        )}
      </div>
    </div>
  );
}

const isEval = (name: string) => name.startsWith('eval');

/** Colour by position, dashed for evaluation series. */
function seriesClass(name: string, index: number): string {
  return `series-${index % 6}${isEval(name) ? ' series-eval' : ''}`;
}

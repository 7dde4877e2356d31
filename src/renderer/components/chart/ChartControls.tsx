import { useId } from 'react';

/** Log scale and smoothing, shared by every chart of a page. */
export function ChartControls(props: {
  log: boolean;
  onLog: (log: boolean) => void;
  smoothing: number;
  onSmoothing: (weight: number) => void;
  children?: React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="chart-controls" role="group" aria-label="Chart options">
      {props.children}
      <label className="checkbox">
        <input type="checkbox" checked={props.log} onChange={(e) => props.onLog(e.target.checked)} data-testid="chart-log" />
        Log scale
      </label>
      <label htmlFor={`${id}-smooth`} className="range">
        Smoothing
        <input
          id={`${id}-smooth`}
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={props.smoothing}
          onChange={(e) => props.onSmoothing(Number(e.target.value))}
          data-testid="chart-smoothing"
        />
        <output className="range-value">{props.smoothing.toFixed(2)}</output>
      </label>
    </div>
  );
}

// Chart colours come from the stylesheet's CSS variables, so the canvas follows the
// light and dark themes like the rest of the page. A canvas does not restyle itself,
// so charts redraw when the system's colour scheme changes.
import { useSyncExternalStore } from 'react';

export interface ChartTheme {
  series: string[];
  axis: string;
  grid: string;
  text: string;
  background: string;
  font: string;
}

const DARK = '(prefers-color-scheme: dark)';

function subscribe(listener: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** 'dark' or 'light', live. */
export function useColorScheme(): 'dark' | 'light' {
  return useSyncExternalStore(subscribe, () => (window.matchMedia(DARK).matches ? 'dark' : 'light'));
}

export function readChartTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const series = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => v(`--chart-${i}`, '#2563eb'));
  return {
    series,
    axis: v('--chart-axis', '#8a94a3'),
    grid: v('--chart-grid', '#edf0f4'),
    text: v('--muted', '#5f6b7a'),
    background: v('--surface', '#ffffff'),
    font: `11px ${v('--font', 'system-ui, sans-serif')}`,
  };
}

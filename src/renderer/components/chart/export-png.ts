// A chart as a PNG: uPlot draws the plot and its axes on one canvas; the title and
// the legend (DOM elements on screen) are painted above it on a copy with the
// theme's background, so the file reads on its own.
import type uPlot from 'uplot';
import { downloadBlob, safeFilename } from '../../lib/download';
import type { ChartTheme } from './chart-theme';

export interface LegendEntry {
  label: string;
  color: string;
  dashed: boolean;
}

export function chartToPng(u: uPlot, title: string, legend: readonly LegendEntry[], theme: ChartTheme): Promise<Blob> {
  const src = u.ctx.canvas;
  const ratio = src.width / Math.max(1, u.width);
  const header = Math.round(44 * ratio);
  const canvas = document.createElement('canvas');
  canvas.width = src.width;
  canvas.height = src.height + header;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = theme.text;
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${Math.round(13 * ratio)}px ${theme.font.replace(/^\S+\s/, '')}`;
  ctx.fillText(title, 8 * ratio, 12 * ratio);
  ctx.font = `${Math.round(11 * ratio)}px ${theme.font.replace(/^\S+\s/, '')}`;
  let x = 8 * ratio;
  const y = 32 * ratio;
  for (const entry of legend) {
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash(entry.dashed ? [5 * ratio, 4 * ratio] : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 16 * ratio, y);
    ctx.stroke();
    x += 22 * ratio;
    ctx.fillText(entry.label, x, y);
    x += ctx.measureText(entry.label).width + 16 * ratio;
  }
  ctx.drawImage(src, 0, header);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the chart as PNG'))), 'image/png'),
  );
}

export async function downloadChartPng(u: uPlot, title: string, legend: readonly LegendEntry[], theme: ChartTheme): Promise<void> {
  downloadBlob(await chartToPng(u, title, legend, theme), `${safeFilename(title)}.png`);
}

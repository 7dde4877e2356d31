// A one-line progress bar on stderr (step, loss, tokens/s, ETA). Redraws in place
// on a terminal; elsewhere (CI logs, pipes) prints a line every 10% instead.
export interface ProgressState {
  step: number;
  totalSteps: number;
  loss: number;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function renderBar(p: ProgressState, width = 24): string {
  const frac = p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
  const filled = Math.round(frac * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const tps = p.tokensPerSecond === null ? '' : ` ${Math.round(p.tokensPerSecond)} tok/s`;
  const eta = p.etaSeconds === null ? '' : ` ETA ${formatDuration(p.etaSeconds)}`;
  return `${bar} ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)}${tps}${eta}`;
}

export class ProgressBar {
  private lastDecile = -1;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: ProgressState): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r${renderBar(p)}\x1b[K`);
      return;
    }
    const decile = Math.floor((10 * p.step) / Math.max(1, p.totalSteps));
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(renderBar(p) + '\n');
    }
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

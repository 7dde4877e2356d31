import { formatTimestamp } from '../../lib/format';
import type { HistoryEntry } from './run-history';

export function RunHistoryCard({ entries }: { entries: readonly HistoryEntry[] }) {
  return (
    <section className="card" aria-labelledby="history-title" data-testid="run-history">
      <h2 id="history-title">History</h2>
      <p className="muted small-note">
        LoRA Lab keeps no log text for a run (the engine writes its log to the terminal or app that started it); this is the run&apos;s
        history as the registry records it, with the status changes seen on this page.
      </p>
      <ol className="history">
        {entries.map((e, i) => (
          <li key={i} className={`history-${e.tone}`}>
            <time className="muted">{formatTimestamp(e.at)}</time> {e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

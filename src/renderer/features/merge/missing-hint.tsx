// The start bar's "what is still missing" line. Before the user has done anything
// it is a to-do, in the muted text colour: a fresh page is not an error. It turns
// into an error (the danger colour) once the user has tried to start, or has edited
// the field it is about and left it still wrong.
import { useCallback, useState } from 'react';

export type HintTone = 'todo' | 'error';

export function hintTone(field: string, touched: ReadonlySet<string>, attempted: boolean): HintTone {
  return attempted || touched.has(field) ? 'error' : 'todo';
}

/** Which fields the user has edited, and whether a start was tried while something was missing. */
export function useAttention() {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const touch = useCallback((field: string) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field))), []);
  return { touched, attempted, touch, attempt: useCallback(() => setAttempted(true), []) };
}

export function MissingHint({ text, tone, testId }: { text: string; tone: HintTone; testId: string }) {
  return (
    <span id={testId} className={tone === 'todo' ? 'start-reason is-todo' : 'start-reason'} data-tone={tone} data-testid={testId} aria-live="polite">
      {text}
    </span>
  );
}

import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal form on the native <dialog>, as ConfirmDialog is: focus moves into it,
 * Escape closes it (unless busy), and focus returns to what opened it.
 */
export function ClusterDialog(props: { open: boolean; title: string; busy: boolean; onClose: () => void; testId: string; children: ReactNode; actions: ReactNode }) {
  const { open, title, busy, onClose, testId, children, actions } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog cluster-dialog"
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id={`${testId}-title`}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

/** The dialog's buttons: Cancel and the action while the form is open, Done once it has a result. */
export function ClusterDialogActions(props: { done: boolean; busy: boolean; onClose: () => void; onSubmit: () => void; label: string; busyLabel: string; testId: string }) {
  const { done, busy, onClose, onSubmit, label, busyLabel, testId } = props;
  if (done) {
    return (
      <button type="button" className="button primary" onClick={onClose} data-testid={`${testId}-done`}>
        Done
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button" onClick={onClose} disabled={busy}>
        Cancel
      </button>
      <button type="button" className="button primary" onClick={onSubmit} disabled={busy} data-testid={`${testId}-submit`}>
        {busy ? busyLabel : label}
      </button>
    </>
  );
}

/** A folder path typed, or chosen in the system dialog where the app can open one (Electron). */
export function FolderInput(props: { label: string; value: string; onChange: (v: string) => void; testId: string; onPick?: () => Promise<string | null>; autoFocus?: boolean }) {
  const { label, value, onChange, testId, onPick, autoFocus } = props;
  return (
    <label className="cluster-field">
      <span>{label}</span>
      <span className="cluster-path">
        <input type="text" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} data-testid={testId} autoFocus={autoFocus} />
        {onPick && (
          <button
            type="button"
            className="button"
            onClick={() => {
              void onPick().then((p) => p && onChange(p));
            }}
          >
            Browse…
          </button>
        )}
      </span>
    </label>
  );
}

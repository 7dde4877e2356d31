import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal confirmation on the native <dialog>: focus moves into it, Escape cancels,
 * Tab stays inside, and focus returns to what opened it. The safe choice has focus.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { open, title, children, confirmLabel, busy = false, danger = false, onConfirm, onCancel, testId } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      data-testid={testId}
      aria-labelledby={testId ? `${testId}-title` : undefined}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={testId ? `${testId}-title` : undefined}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button" ref={cancelRef} onClick={onCancel} disabled={busy} data-testid={testId && `${testId}-cancel`}>
          Cancel
        </button>
        <button
          type="button"
          className={`button ${danger ? 'danger-solid' : 'primary'}`}
          onClick={onConfirm}
          disabled={busy}
          data-testid={testId && `${testId}-confirm`}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

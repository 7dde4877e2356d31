import type { ReactNode } from 'react';

/** An inline error: the page around it keeps working. */
export function ErrorMessage({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="error-message" role="alert" data-testid={testId}>
      {children}
    </div>
  );
}

import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** A render bug shows its message and a way out instead of a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('LoRA Lab UI error', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="page" data-testid="ui-error">
        <h1>Something went wrong in this view</h1>
        <p className="error-message" role="alert">
          {error.message}
        </p>
        <p>
          <a href="#/" onClick={() => this.setState({ error: null })}>
            Back to all runs
          </a>{' '}
          or{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      </div>
    );
  }
}

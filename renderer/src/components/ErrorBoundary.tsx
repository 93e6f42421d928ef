import { Component, type ReactNode } from 'react';

interface State {
  error: Error | undefined;
}

/**
 * Catches a failure while rendering a part of the console (a bug, or a code chunk that no longer
 * exists because the console was rebuilt) and offers a reload instead of a blank page.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="panel" role="alert" data-testid="render-error">
        <p className="error-text">This part of the console failed: {error.message}</p>
        <p className="muted small">If the console was rebuilt while this page was open, reloading loads the new build.</p>
        <button className="button" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}

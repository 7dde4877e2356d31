import type { ReactNode } from 'react';
import type { ConnectionState } from '../api/connection';
import { NO_TOKEN_MESSAGE } from '../api/token';

/**
 * What the page says about its link to the server. A refused or missing token blocks
 * the page (nothing can load); a dropped connection is a banner while it reconnects.
 */
export function ConnectionNotice({ state }: { state: ConnectionState }) {
  switch (state.kind) {
    case 'open':
      return null;
    case 'connecting':
      return (
        <Banner kind={state.kind} tone="info">
          Connecting to LoRA Lab…
        </Banner>
      );
    case 'reconnecting':
      if (state.everOpened) {
        return (
          <Banner kind={state.kind} tone="warn">
            Connection to the LoRA Lab server lost. Reconnecting (attempt {state.attempt})… Live updates resume when it is back.
          </Banner>
        );
      }
      return (
        <Banner kind={state.kind} tone="error">
          Cannot reach the LoRA Lab server at {window.location.host}. Check that <code>loralab ui</code> is running.
          Retrying (attempt {state.attempt})…
        </Banner>
      );
    case 'refused':
      return (
        <Blocker kind={state.kind} title="The LoRA Lab server refused this page">
          <p>{state.reason}</p>
          <p>
            Open the address that <code>loralab ui</code> printed in its terminal (it ends in ?token=…).
          </p>
        </Blocker>
      );
    case 'no-token':
      return (
        <Blocker kind={state.kind} title="Access token needed">
          <p>{NO_TOKEN_MESSAGE}</p>
        </Blocker>
      );
  }
}

function Banner({ kind, tone, children }: { kind: string; tone: 'info' | 'warn' | 'error'; children: ReactNode }) {
  return (
    <div className={`banner banner-${tone}`} role="status" data-testid="connection-notice" data-state={kind}>
      {children}
    </div>
  );
}

function Blocker({ kind, title, children }: { kind: string; title: string; children: ReactNode }) {
  return (
    <section className="page blocker" role="alert" data-testid="connection-notice" data-state={kind}>
      <h1>{title}</h1>
      {children}
    </section>
  );
}

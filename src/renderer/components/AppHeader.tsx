import { BackendBadge } from './BackendBadge';

export function AppHeader() {
  return (
    <header className="app-header">
      <a href="#/" className="brand">
        LoRA Lab
      </a>
      <nav>
        <a href="#/">Runs</a>
      </nav>
      <BackendBadge />
    </header>
  );
}

import type { Route } from '../route';
import { BackendBadge } from './BackendBadge';

const NAV: readonly { href: string; label: string; pages: readonly Route['page'][] }[] = [
  { href: '#/', label: 'Runs', pages: ['runs', 'run', 'compare'] },
  { href: '#/new', label: 'New run', pages: ['new'] },
  { href: '#/inspect', label: 'Inspect', pages: ['inspect'] },
  { href: '#/merge', label: 'Merge', pages: ['merge'] },
  { href: '#/playground', label: 'Playground', pages: ['playground'] },
];

export function AppHeader({ page }: { page: Route['page'] }) {
  return (
    <header className="app-header">
      <a href="#/" className="brand">
        LoRA Lab
      </a>
      <nav aria-label="Main">
        {NAV.map((item) => (
          <a key={item.href} href={item.href} aria-current={item.pages.includes(page) ? 'page' : undefined}>
            {item.label}
          </a>
        ))}
      </nav>
      <BackendBadge />
    </header>
  );
}

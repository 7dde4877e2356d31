import { useSyncExternalStore } from 'react';
import { parseRoute, routeHref, type KnownRoute, type Route } from './route';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

const currentHash = () => window.location.hash;

export function useHashRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, currentHash));
}

export function navigate(route: KnownRoute): void {
  window.location.hash = routeHref(route);
}

import { useCallback, useState, type RefCallback } from 'react';

/** The element's content width in pixels, kept current with a ResizeObserver. */
export function useElementWidth<T extends HTMLElement>(fallback: number): [RefCallback<T>, number] {
  const [width, setWidth] = useState(fallback);
  const ref = useCallback((el: T | null) => {
    if (!el) return;
    if (el.clientWidth > 0) setWidth(el.clientWidth);
    const observer = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

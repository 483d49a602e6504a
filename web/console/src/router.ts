// A small history router below /console/.
import { useEffect, useState } from "preact/hooks";

export const base = "/console";
const listeners = new Set<() => void>();

function current(): string {
  const p = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "/";
  return p === "" ? "/" : p;
}

export function navigate(to: string, replace = false) {
  const url = base + to;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  listeners.forEach((f) => f());
  window.scrollTo(0, 0);
}

addEventListener("popstate", () => listeners.forEach((f) => f()));

/** usePath returns the path below /console (e.g. "/transport/trips") and the query. */
export function usePath(): { path: string; query: URLSearchParams } {
  const [, tick] = useState(0);
  useEffect(() => {
    const f = () => tick((n) => n + 1);
    listeners.add(f);
    return () => void listeners.delete(f);
  }, []);
  return { path: current(), query: new URLSearchParams(location.search) };
}

/** onLink makes an <a href> navigate inside the app. */
export function onLink(e: MouseEvent) {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  navigate(a.pathname.slice(base.length) + a.search);
}

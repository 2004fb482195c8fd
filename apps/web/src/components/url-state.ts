import { useSearchParams } from "react-router";

/** Every filter, sort and period of a page lives in the URL: reading a param and setting (or clearing) one. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const get = (k: string, fallback = "") => params.get(k) ?? fallback;
  const set = (changes: Record<string, string | null | undefined>) => {
    // From the address bar, not this render's params: two changes made before the page re-renders (a filter
    // picked right after another) must both stay.
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  return { params, get, set };
}

import { useSearchParams } from "react-router";

/** Every filter, sort and period of a page lives in the URL: reading a param and setting (or clearing) one. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const get = (k: string, fallback = "") => params.get(k) ?? fallback;
  const set = (changes: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  return { params, get, set };
}

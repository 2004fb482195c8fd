import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `delayMs` (so typing does not send a request per key). */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), delayMs);
    return () => clearTimeout(t);
  }, [value, delayMs]);
  return v;
}

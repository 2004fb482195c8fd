/** The value of a `datetime-local` input as an ISO-8601 time, or the text itself when it is not a time. */
export function localToIso(value: string): string {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

/** An instant as a `datetime-local` value in the browser's time zone (minutes). */
export function msToLocal(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

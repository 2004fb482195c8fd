/** How numbers read to people, the same in the UI and in Slack. */
export function formatPercent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? "no data" : `${(x * 100).toFixed(digits)}%`;
}

/** A time to exhaustion: minutes under an hour, hours under three days, then days. */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined) return "not burning";
  if (h <= 0) return "exhausted";
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 72) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

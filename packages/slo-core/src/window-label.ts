import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

/**
 * A burn-rate window's short name, as the status and the charts key it: whole days as "3d", whole hours as "6h",
 * anything else in minutes ("5m", "90m"). The workbook windows give the status keys "5m", "30m", "1h", "2h", "6h",
 * "1d" and "3d".
 */
export function windowLabel(windowMs: number): string {
  if (windowMs % DAY_MS === 0) return `${windowMs / DAY_MS}d`;
  if (windowMs % HOUR_MS === 0) return `${windowMs / HOUR_MS}h`;
  return `${Math.round(windowMs / MINUTE_MS)}m`;
}

/** Every window the tiers read (long and short), shortest first, each once. */
export function tierWindowsMs(tiers: { longWindowMs: number; shortWindowMs: number | null }[]): number[] {
  const all = new Set<number>();
  for (const t of tiers) {
    all.add(t.longWindowMs);
    if (t.shortWindowMs !== null) all.add(t.shortWindowMs);
  }
  return [...all].sort((a, b) => a - b);
}

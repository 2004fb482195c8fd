import type { SloSeriesResponse } from "@burnrate/contracts";

export interface ChartRow {
  t: number;
  sliPercent: number | null;
  remainingPercent: number | null;
  burnRate1h: number | null;
  total: number;
}

/**
 * Shapes the API's series for Recharts: percentages for display, nulls kept as gaps (no data ≠ 0). Before the
 * first point with traffic the budget is a gap too: a full budget drawn over time without any data would
 * suggest a history that does not exist.
 */
export function toChartRows(s: SloSeriesResponse): ChartRow[] {
  let seen = false;
  return s.points.map((p) => {
    if (p.total > 0) seen = true;
    return {
      t: p.t,
      sliPercent: p.sli === null ? null : round(p.sli * 100, 4),
      remainingPercent: p.remaining === null || !seen ? null : round(p.remaining * 100, 3),
      burnRate1h: p.burnRate1h === null ? null : round(p.burnRate1h, 3),
      total: p.total,
    };
  });
}

/** Threshold lines for the burn-rate chart, one per distinct factor (labels joined when tiers share one). */
export function toThresholdLines(
  s: SloSeriesResponse,
): { factor: number; label: string; severity: string }[] {
  const byFactor = new Map<number, { factor: number; label: string; severity: string }>();
  for (const t of s.thresholds) {
    const k = round(t.factor, 6);
    const prev = byFactor.get(k);
    byFactor.set(
      k,
      prev
        ? { ...prev, label: `${prev.label}, ${t.tier}` }
        : { factor: k, label: t.tier, severity: t.severity },
    );
  }
  return [...byFactor.values()].sort((a, b) => b.factor - a.factor);
}

/** Y-axis domain for the SLI chart: tight around the data and the objective, so a 99.9% line is visible. */
export function sliDomain(rows: ChartRow[], objectivePercent: number): [number, number] {
  const vals = rows.map((r) => r.sliPercent).filter((v): v is number => v !== null);
  const lo = Math.min(objectivePercent, ...vals);
  const pad = Math.max((100 - lo) * 0.1, 0.01);
  return [Math.max(0, round(lo - pad, 4)), 100];
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Round ticks for the budget chart: from the lowest value (or 0) up to 100%, always including 0. */
export function budgetTicks(rows: ChartRow[]): number[] {
  const vals = rows.map((r) => r.remainingPercent).filter((v): v is number => v !== null);
  const lo = Math.min(0, ...vals);
  const span = 100 - lo;
  const step = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000].find((s) => span / s <= 6) ?? 10_000;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t < 100; t += step) ticks.push(t);
  ticks.push(100);
  return ticks;
}

/**
 * Deployment markers with labels that do not collide: a label is shown only when it is at least
 * `minGapFraction` of the range after the previous labelled marker (every marker line is still drawn).
 */
export function deploymentMarkers(
  s: SloSeriesResponse,
  minGapFraction = 0.08,
): { at: number; version: string; showLabel: boolean }[] {
  const gap = (s.to - s.from) * minGapFraction;
  let last = -Infinity;
  return [...s.deployments]
    .sort((a, b) => a.at - b.at)
    .map((d) => {
      const showLabel = d.at - last >= gap;
      if (showLabel) last = d.at;
      return { at: d.at, version: d.version, showLabel };
    });
}

/** Round ticks for the SLI chart between its domain bounds. */
export function sliTicks([lo, hi]: [number, number]): number[] {
  const span = hi - lo;
  const step =
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25].find((s) => span / s <= 5) ??
    50;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(round(t, 4));
  return ticks;
}

/** Period boundaries inside the range (not the range's own start), for the budget chart's "period" lines. */
export function periodBoundaries(s: SloSeriesResponse): number[] {
  return s.periods.filter((p) => p.start > s.from).map((p) => p.start);
}

/** Headroom above the highest burn rate or threshold, so neither touches the top of the chart. */
const BURN_HEADROOM = 1.1;

/** Y-axis domain for the burn-rate chart: from 0 to above the highest burn rate and threshold (at least 1×). */
export function burnRateDomain(rows: ChartRow[], lines: { factor: number }[]): [number, number] {
  const top = Math.max(1, ...rows.map((r) => r.burnRate1h ?? 0), ...lines.map((l) => l.factor));
  return [0, Math.ceil(top * BURN_HEADROOM)];
}

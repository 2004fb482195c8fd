import type { OnCallIndicatorsResponse, TtrTrendResponse } from "@burnrate/contracts";

type Coverage = OnCallIndicatorsResponse["teams"][number]["services"][number]["coverage"];

const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** "07:00–19:00" when every day is the same, else "mon tue: 09:00–17:00; sat: …"; "none" without coverage. */
export function coverageText(c: Coverage): string {
  if (c.length === 0) return "none";
  return c
    .map((g) => {
      const ranges = g.ranges.map((r) => `${clock(r.from)}–${clock(r.to)}`).join(", ");
      return g.days.length === 7 ? ranges : `${g.days.join(" ")}: ${ranges}`;
    })
    .join("; ");
}

/** A day (Monday's ranges, or the first day covered) cut into alternating covered / uncovered segments, 0–24 h. */
export function coverageSegments(c: Coverage): { from: number; to: number; covered: boolean }[] {
  const day = c.find((g) => g.days.includes("mon")) ?? c[0];
  const out: { from: number; to: number; covered: boolean }[] = [];
  let at = 0;
  for (const r of day?.ranges ?? []) {
    if (r.from > at) out.push({ from: at, to: r.from, covered: false });
    out.push({ from: r.from, to: r.to, covered: true });
    at = r.to;
  }
  if (at < 1440) out.push({ from: at, to: 1440, covered: false });
  return out;
}

/**
 * The trendline's two ends, drawn at the first and last period's middle: the least-squares line over the
 * incidents with x = their period's index (slopePerPeriod), through the mean point. Null below two incidents.
 */
export function ttrTrendLine(d: TtrTrendResponse): { t: number; ttr: number }[] | null {
  const t = d.overall;
  if (t.slopePerPeriod === null || t.meanMinutes === null || t.periods.length === 0) return null;
  const xs = t.periods.flatMap((p, k) => p.ttrMinutes.map(() => k + 1));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const at = (k: number) => t.meanMinutes! + t.slopePerPeriod! * (k - meanX);
  const mid = (k: number) => (t.periods[k - 1]!.start + t.periods[k - 1]!.end) / 2;
  const n = t.periods.length;
  return [
    { t: mid(1), ttr: at(1) },
    { t: mid(n), ttr: at(n) },
  ];
}

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

/** A unit for durations given in minutes: minutes, hours or days, whichever keeps the numbers short. */
export interface TtrUnit {
  /** the suffix on axis ticks, tooltips and text ("min", "h", "d") */
  label: "min" | "h" | "d";
  /** minutes per unit */
  minutes: number;
}
const UNITS: TtrUnit[] = [
  { label: "min", minutes: 1 },
  { label: "h", minutes: 60 },
  { label: "d", minutes: 1440 },
];

/**
 * The unit that suits the largest value plotted: minutes up to 2 h, hours up to 3 days, days beyond. The axis ticks
 * then stay below a few hundred whatever the recoveries took.
 */
export function ttrUnit(maxMinutes: number): TtrUnit {
  if (!(maxMinutes > 120)) return UNITS[0]!;
  if (maxMinutes <= 3 * 1440) return UNITS[1]!;
  return UNITS[2]!;
}

/** A duration in minutes written in `unit` ("42 min", "3.5 h", "12 d"); "–" for none. */
export function fmtDuration(minutes: number | null, unit: TtrUnit): string {
  if (minutes === null || !Number.isFinite(minutes)) return "–";
  const v = minutes / unit.minutes;
  const digits = Math.abs(v) >= 100 || unit.label === "min" ? 0 : 1;
  return `${Number(v.toFixed(digits))} ${unit.label}`;
}

/** A duration in minutes, in the unit that suits it on its own (tables, where each cell stands alone). */
export const fmtTtr = (minutes: number | null) =>
  minutes === null ? "–" : fmtDuration(minutes, ttrUnit(Math.abs(minutes)));

/**
 * The trendline's two ends, drawn at the first and last period's middle: the least-squares line over the
 * incidents with x = their period's index (slopePerPeriod), through the mean point. Null below two incidents.
 * A recovery cannot take less than no time: where the fitted line would fall below 0 it ends at 0 (the
 * point where it crosses), and it is cut to the window shown (`from`–`to`), so it never leaves the plotted range.
 */
export function ttrTrendLine(d: TtrTrendResponse): { t: number; ttr: number }[] | null {
  const t = d.overall;
  if (t.slopePerPeriod === null || t.meanMinutes === null || t.periods.length === 0) return null;
  const xs = t.periods.flatMap((p, k) => p.ttrMinutes.map(() => k + 1));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const at = (k: number) => t.meanMinutes! + t.slopePerPeriod! * (k - meanX);
  const mid = (k: number) => (t.periods[k - 1]!.start + t.periods[k - 1]!.end) / 2;
  const n = t.periods.length;
  let a = { t: mid(1), ttr: at(1) };
  let b = { t: mid(n), ttr: at(n) };
  // the drawn line is straight between its ends: the point on it at time x, and where it reaches 0
  const ttrAt = (x: number) => (b.t === a.t ? a.ttr : a.ttr + ((b.ttr - a.ttr) * (x - a.t)) / (b.t - a.t));
  const lo = Math.max(a.t, d.from);
  const hi = Math.min(b.t, d.to);
  if (hi < lo) return null;
  [a, b] = [
    { t: lo, ttr: ttrAt(lo) },
    { t: hi, ttr: ttrAt(hi) },
  ];
  if (a.ttr < 0 && b.ttr < 0) return null;
  if (a.ttr >= 0 && b.ttr >= 0) return [a, b];
  const zero = { t: a.t + ((b.t - a.t) * a.ttr) / (a.ttr - b.ttr), ttr: 0 };
  return a.ttr < 0 ? [zero, b] : [a, zero];
}

/** Round axis ticks from 0 past `max` (0, 100, 200, 300, 400 rather than 0, 95, 190, 285, 380): about 4 steps. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const n = Math.ceil(max / step - 1e-9);
  return Array.from({ length: n + 1 }, (_, k) => Number((k * step).toPrecision(12)));
}

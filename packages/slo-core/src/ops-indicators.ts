import {
  activeHoursEdges,
  isActiveAt,
  MINUTES_PER_DAY,
  WEEKDAYS,
  type ActiveHours,
  type Weekday,
} from "./oncall-active-hours.js";
import { DAY_MS, MINUTE_MS } from "./time-units.js";
import type { TimeSpan } from "./types.js";

/* ------------------------------------------------------------------------------------------------------------
 * Incident time to recovery (TTR) trend, book §11.2.11 and Fig 11.15: one point per resolved incident placed in
 * its period, the count, mean and median per period, and a least-squares trendline.
 * ---------------------------------------------------------------------------------------------------------- */

export interface TtrIncident {
  /** When the impact started (or the incident was opened) */
  startedAtMs: number;
  resolvedAtMs: number | null;
  /** When someone acknowledged it (null: never) */
  acknowledgedAtMs?: number | null;
  detectedAtMs?: number;
}

export interface TtrPeriod {
  startMs: number;
  endMs: number;
  /** TTR of each incident resolved in the period, in minutes, in the order they started */
  ttrMinutes: number[];
  count: number;
  meanMinutes: number | null;
  medianMinutes: number | null;
}

export interface TtrTrend {
  periods: TtrPeriod[];
  count: number;
  meanMinutes: number | null;
  medianMinutes: number | null;
  /** Least-squares slope with x = the incident's order (1, 2, …): minutes per incident; null below 2 points */
  slopePerIncident: number | null;
  /** Least-squares slope with x = the period's index (1 = the first): minutes per period; null below 2 points */
  slopePerPeriod: number | null;
  /** "up" (recoveries get longer), "down", "flat", or null below 2 points */
  direction: "up" | "down" | "flat" | null;
}

/** Median of numbers (the mean of the two middle ones for an even count); null when empty. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Least-squares slope of y over x; null below two points or when every x is the same. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = mean(points.map((p) => p.x))!;
  const my = mean(points.map((p) => p.y))!;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/** Slopes this close to 0 (minutes per step) are "flat". */
const FLAT_SLOPE = 1e-9;

/**
 * The TTR trend over ordered, non-overlapping periods. An incident counts in the period its impact started in;
 * one not resolved yet has no TTR and is left out. TTR = resolution − start, in minutes.
 */
export function ttrTrend(incidents: readonly TtrIncident[], periods: readonly TimeSpan[]): TtrTrend {
  const resolved = incidents
    .filter((i): i is TtrIncident & { resolvedAtMs: number } => i.resolvedAtMs !== null)
    .filter((i) => i.resolvedAtMs >= i.startedAtMs)
    .sort((a, b) => a.startedAtMs - b.startedAtMs);
  const byPeriod = periods.map((p) => ({
    p,
    ttr: resolved
      .filter((i) => i.startedAtMs >= p.startMs && i.startedAtMs < p.endMs)
      .map((i) => (i.resolvedAtMs - i.startedAtMs) / MINUTE_MS),
  }));
  const perIncident = byPeriod.flatMap((b, k) => b.ttr.map((y) => ({ period: k + 1, y })));
  const all = perIncident.map((p) => p.y);
  const slopePerIncident = leastSquaresSlope(perIncident.map((p, k) => ({ x: k + 1, y: p.y })));
  const slopePerPeriod = leastSquaresSlope(perIncident.map((p) => ({ x: p.period, y: p.y })));
  const slope = slopePerIncident;
  return {
    periods: byPeriod.map(({ p, ttr }) => ({
      startMs: p.startMs,
      endMs: p.endMs,
      ttrMinutes: ttr,
      count: ttr.length,
      meanMinutes: mean(ttr),
      medianMinutes: median(ttr),
    })),
    count: all.length,
    meanMinutes: mean(all),
    medianMinutes: median(all),
    slopePerIncident,
    slopePerPeriod,
    direction: slope === null ? null : slope > FLAT_SLOPE ? "up" : slope < -FLAT_SLOPE ? "down" : "flat",
  };
}

/* ------------------------------------------------------------------------------------------------------------
 * On-call rotations by team, book §11.2.10 and Fig 11.14: each rotation's covered UTC hours, the services it
 * covers and how many people are on it; per service, the hours no rotation covers. Counts are per rotation and
 * per team, never per person.
 * ---------------------------------------------------------------------------------------------------------- */

/** A rotation's on-call hours: its layers' active hours in its time zone, each from the instant it starts. */
export interface RotationHours {
  timeZone: string;
  layers: { activeHours: ActiveHours; startsAtMs: number }[];
}

/**
 * Covered minutes of one UTC day: index m is true when someone is on call during minute m. The state is judged
 * once between consecutive change points (each layer's window edges and its start), not minute by minute.
 */
export function coveredMinutesOfUtcDay(r: RotationHours, dayStartMs: number): boolean[] {
  const endMs = dayStartMs + DAY_MS;
  const points = new Set<number>([dayStartMs]);
  for (const l of r.layers) {
    if (l.startsAtMs > dayStartMs && l.startsAtMs < endMs) points.add(l.startsAtMs);
    for (const t of activeHoursEdges(l.activeHours, r.timeZone, dayStartMs, endMs)) points.add(t);
  }
  const cuts = [...points].sort((a, b) => a - b);
  const out: boolean[] = new Array<boolean>(MINUTES_PER_DAY).fill(false);
  cuts.forEach((from, k) => {
    const to = cuts[k + 1] ?? endMs;
    const on = r.layers.some((l) => from >= l.startsAtMs && isActiveAt(l.activeHours, r.timeZone, from));
    if (!on) return;
    const a = Math.ceil((from - dayStartMs) / MINUTE_MS);
    const b = Math.ceil((to - dayStartMs) / MINUTE_MS);
    for (let m = a; m < b; m++) out[m] = true;
  });
  return out;
}

/** A covered (or uncovered) range of a day in minutes after midnight UTC, [from, to). */
export interface MinuteRange {
  from: number;
  to: number;
}

/** The runs of `true` in a day's minutes. */
export function minuteRanges(minutes: readonly boolean[]): MinuteRange[] {
  const out: MinuteRange[] = [];
  let start: number | null = null;
  for (let m = 0; m <= minutes.length; m++) {
    const on = m < minutes.length && minutes[m];
    if (on && start === null) start = m;
    if (!on && start !== null) {
      out.push({ from: start, to: m });
      start = null;
    }
  }
  return out;
}

/** Days of the week with the same covered ranges, Monday first. */
export interface WeekCoverage {
  days: Weekday[];
  ranges: MinuteRange[];
}

/** A week of covered minutes (7 × 1440, Monday first) grouped by identical days; days with no coverage left out. */
export function groupWeek(week: readonly (readonly boolean[])[]): WeekCoverage[] {
  const groups: WeekCoverage[] = [];
  const keyOf = new Map<string, WeekCoverage>();
  week.forEach((day, i) => {
    const ranges = minuteRanges(day);
    if (ranges.length === 0) return;
    const key = JSON.stringify(ranges);
    const g = keyOf.get(key);
    if (g) g.days.push(WEEKDAYS[i]!);
    else {
      const n = { days: [WEEKDAYS[i]!], ranges };
      keyOf.set(key, n);
      groups.push(n);
    }
  });
  return groups;
}

export interface RotationInput {
  id: string;
  name: string;
  /** Covered minutes of each day of the reference week, UTC, Monday first (7 × 1440) */
  week: boolean[][];
  /** Services the rotation covers */
  services: string[];
  /** Distinct people on the rotation (any layer, any position) */
  people: string[];
}

export interface RotationRow {
  id: string;
  name: string;
  coverage: WeekCoverage[];
  hoursPerWeek: number;
  services: string[];
  people: number;
}

export interface ServiceCoverage {
  service: string;
  coverage: WeekCoverage[];
  /** Hours of the reference week no rotation covers, grouped by identical days */
  uncovered: WeekCoverage[];
  hoursPerWeek: number;
  /** Covered hours per day on average (hoursPerWeek / 7) */
  hoursPerDay: number;
  aroundTheClock: boolean;
  rotations: number;
}

export interface RotationsIndicator {
  rotations: RotationRow[];
  services: ServiceCoverage[];
  /** Sum of the people column (a person on two rotations counts twice, as the book's table adds up) */
  peopleOnRotations: number;
  /** Distinct people over all rotations */
  distinctPeople: number;
}

const countTrue = (xs: readonly boolean[]): number => xs.reduce((n, x) => n + (x ? 1 : 0), 0);

/**
 * Fig 11.14's table, plus per-service coverage: each rotation's covered UTC ranges, services and people; for
 * each service (including `allServices` that no rotation covers), the union of its rotations' hours and what
 * remains uncovered.
 */
export function rotationsIndicator(
  rotations: readonly RotationInput[],
  allServices: readonly string[] = [],
): RotationsIndicator {
  const rows: RotationRow[] = rotations.map((r) => ({
    id: r.id,
    name: r.name,
    coverage: groupWeek(r.week),
    hoursPerWeek: r.week.reduce((n, d) => n + countTrue(d), 0) / 60,
    services: [...r.services].sort(),
    people: new Set(r.people).size,
  }));
  const names = [...new Set([...allServices, ...rotations.flatMap((r) => r.services)])].sort();
  const services = names.map((service): ServiceCoverage => {
    const mine = rotations.filter((r) => r.services.includes(service));
    const week = Array.from({ length: 7 }, (_, d) =>
      Array.from({ length: MINUTES_PER_DAY }, (_, m) => mine.some((r) => r.week[d]?.[m] === true)),
    );
    const minutes = week.reduce((n, d) => n + countTrue(d), 0);
    return {
      service,
      coverage: groupWeek(week),
      uncovered: groupWeek(week.map((d) => d.map((x) => !x))),
      hoursPerWeek: minutes / 60,
      hoursPerDay: minutes / 60 / 7,
      aroundTheClock: minutes === 7 * MINUTES_PER_DAY,
      rotations: mine.length,
    };
  });
  return {
    rotations: rows,
    services,
    peopleOnRotations: rows.reduce((n, r) => n + r.people, 0),
    distinctPeople: new Set(rotations.flatMap((r) => r.people)).size,
  };
}

/** The reference week's covered minutes of a rotation: the 7 UTC days from `mondayMs` (a Monday 00:00 UTC). */
export function rotationWeek(r: RotationHours, mondayMs: number): boolean[][] {
  return Array.from({ length: 7 }, (_, d) => coveredMinutesOfUtcDay(r, mondayMs + d * DAY_MS));
}

/* ------------------------------------------------------------------------------------------------------------
 * Pages per rotation: how much the people on a rotation are disturbed, per shift, and how fast they answer.
 * ---------------------------------------------------------------------------------------------------------- */

export interface RotationPages {
  /** Pages (incidents of the rotation's services) detected in the window */
  pages: number;
  /** Shifts (rotation periods of any layer) that overlap the window */
  shifts: number;
  pagesPerShift: number | null;
  /** Pages detected while the rotation was not on call (its covered hours did not hold them) */
  outsideCoverage: number;
  /** Median minutes from detection to acknowledgement, of the acknowledged pages */
  medianAckMinutes: number | null;
  /** Pages never acknowledged */
  unacknowledged: number;
}

export function rotationPages(
  pages: readonly { detectedAtMs: number; acknowledgedAtMs: number | null; covered: boolean }[],
  shifts: number,
): RotationPages {
  const acked = pages.filter((p) => p.acknowledgedAtMs !== null && p.acknowledgedAtMs >= p.detectedAtMs);
  return {
    pages: pages.length,
    shifts,
    pagesPerShift: shifts > 0 ? pages.length / shifts : null,
    outsideCoverage: pages.filter((p) => !p.covered).length,
    medianAckMinutes: median(acked.map((p) => (p.acknowledgedAtMs! - p.detectedAtMs) / MINUTE_MS)),
    unacknowledged: pages.length - acked.length,
  };
}

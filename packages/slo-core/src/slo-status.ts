import { tierFactor, workbookTiers, type AlertTier } from "./alert-tier.js";
import { budgetCurve } from "./budget-curve.js";
import { burnRate } from "./burn-rate.js";
import { DEFAULT_LOW_TRAFFIC_GUARD, type LowTrafficGuard, type TierDecision } from "./decide-tier.js";
import { errorBudget, remainingBudget } from "./error-budget.js";
import { exhaustionOutlook, projectionHorizonMs, type ExhaustionOutlook } from "./exhaustion-outlook.js";
import { STATUS_WINDOWS, burnRatesAt, evaluateTiers } from "./evaluate.js";
import { periodAt, periodLengthMs } from "./period.js";
import {
  buildPrefixSums,
  isSampled,
  windowCounts,
  type CountSums,
  type MinuteSeries,
  type PrefixSums,
} from "./prefix-sums.js";
import { sli } from "./sli.js";
import { timeToExhaustionHours } from "./time-to-exhaustion.js";
import { MINUTE_MS } from "./time-units.js";
import { allowedBadSlices, isBadSlice, remainingFromBadSlices } from "./timeslices.js";
import { tierWindowsMs, windowLabel } from "./window-label.js";
import type { BudgetingMethod, EventCounts, SloWindow } from "./types.js";

/** Everything about one SLO that the numbers depend on. */
export interface SloModel {
  objective: number;
  window: SloWindow;
  method: BudgetingMethod;
  tiers: AlertTier[];
  guard: LowTrafficGuard;
}

/** Tier settings as users write them (minutes; a factor, or a share of the period budget). */
export interface TierSpec {
  name: string;
  severity: "page" | "ticket";
  longWindowMinutes: number;
  shortWindowMinutes: number | null;
  factor?: number;
  budgetPercent?: number;
  enabled?: boolean;
}

/** The SLO's tiers: its own when given, else the Workbook's for its period, minus the disabled ones. */
export function resolveTiers(
  spec: { tiers?: TierSpec[]; disabledTiers?: string[] } | null | undefined,
  periodMs: number,
): AlertTier[] {
  const disabled = new Set(spec?.disabledTiers ?? []);
  const tiers: AlertTier[] = spec?.tiers
    ? spec.tiers.map((t) => {
        const longWindowMs = t.longWindowMinutes * MINUTE_MS;
        const factor = t.factor ?? tierFactor((t.budgetPercent ?? 100) / 100, periodMs, longWindowMs);
        return {
          name: t.name,
          severity: t.severity,
          longWindowMs,
          shortWindowMs: t.shortWindowMinutes == null ? null : t.shortWindowMinutes * MINUTE_MS,
          factor,
          enabled: t.enabled ?? true,
        };
      })
    : workbookTiers(periodMs);
  return tiers.filter((t) => t.enabled !== false && !disabled.has(t.name));
}

/** The longest look-back any tier or status window needs. */
export function maxLookbackMs(tiers: AlertTier[]): number {
  return Math.max(STATUS_WINDOWS["3d"], ...tiers.map((t) => t.longWindowMs));
}

/** End (exclusive) of the minute that contains `nowMs`: windows end here, so the current minute counts. */
export function minuteEnd(nowMs: number): number {
  return Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
}

/** Which minutes to load to compute the status at `nowMs`: the period so far and the longest window. */
export function statusRange(
  model: Pick<SloModel, "window" | "tiers">,
  nowMs: number,
): { fromMs: number; toMs: number } {
  const toMs = minuteEnd(nowMs);
  const period = periodAt(model.window, nowMs);
  const periodStart = Math.floor(period.startMs / MINUTE_MS) * MINUTE_MS;
  return { fromMs: Math.min(periodStart, toMs - maxLookbackMs(model.tiers)), toMs };
}

/**
 * What the error budget counts: requests (occurrences) or minutes (timeslices, a bad minute being one whose SLI
 * is below the objective). `allowed`, `bad` and `remaining` are all in this one unit.
 */
export type BudgetUnit = "requests" | "minutes";

export function budgetUnit(method: BudgetingMethod): BudgetUnit {
  return method === "timeslices" ? "minutes" : "requests";
}

export interface SloStatus {
  period: { startMs: number; endMs: number };
  /** Requests in the period so far (the SLI's good and total are always requests). */
  counts: EventCounts;
  sli: number | null;
  /** The unit of `allowed` and `bad`, which `remaining` is computed from. */
  unit: BudgetUnit;
  /** Bad requests (or minutes) the period's budget allows. */
  allowed: number;
  /** Bad requests (or minutes) so far in the period. */
  bad: number;
  remaining: number;
  burnRates: Record<keyof typeof STATUS_WINDOWS, number | null>;
  timeToExhaustionHours: number | null;
  /** The projection read against the period: beyond its end, no date is meaningful. */
  exhaustion: ExhaustionOutlook;
  tiers: TierDecision[];
}

/** Status of one SLO × region at `nowMs` from its per-minute series (which must cover statusRange). */
export function computeStatus(
  model: SloModel,
  series: MinuteSeries,
  nowMs: number,
  prefix?: PrefixSums,
): SloStatus {
  return statusFromSums(model, prefix ?? buildPrefixSums(series), nowMs);
}

/**
 * Every instant whose running total a status or a tier decision at `nowMs` reads: the end of the current
 * minute, the start of each status and tier window before it, and the start of the period. Sampling the
 * cumulative counts at exactly these instants (SampledSums) gives the same numbers as every minute would.
 */
export function evaluationInstants(model: Pick<SloModel, "window" | "tiers">, nowMs: number): number[] {
  const toMs = minuteEnd(nowMs);
  const out = new Set<number>([toMs, periodAt(model.window, nowMs).startMs]);
  for (const w of Object.values(STATUS_WINDOWS)) out.add(toMs - w);
  for (const t of model.tiers) {
    out.add(toMs - t.longWindowMs);
    if (t.shortWindowMs !== null) out.add(toMs - t.shortWindowMs);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * How fast bad minutes spend a timeslices budget over [fromMs, toMs): (bad minutes ÷ minutes) ÷ ε. null when
 * no minute of the window had traffic (no data).
 */
export function sliceBurnRate(p: CountSums, fromMs: number, toMs: number, objective: number): number | null {
  let bad = 0;
  let withTraffic = 0;
  for (let t = fromMs; t < toMs; t += MINUTE_MS) {
    const c = windowCounts(p, t, t + MINUTE_MS);
    if (c.total > 0) withTraffic++;
    if (isBadSlice(c, objective)) bad++;
  }
  if (withTraffic === 0) return null;
  return bad / ((toMs - fromMs) / MINUTE_MS) / errorBudget(objective);
}

/**
 * Status from window sums: occurrences need only the instants of evaluationInstants (SampledSums are enough);
 * timeslices judge every minute of the period, so they need PrefixSums over statusRange.
 */
export function statusFromSums(model: SloModel, p: CountSums, nowMs: number): SloStatus {
  const toMs = minuteEnd(nowMs);
  const period = periodAt(model.window, nowMs);
  const counts = windowCounts(p, period.startMs, toMs);
  let remaining: number;
  let allowed: number;
  let bad: number;
  if (model.method === "timeslices") {
    if (isSampled(p)) throw new Error("timeslices budgeting needs every minute of the period");
    bad = 0;
    for (let t = Math.floor(period.startMs / MINUTE_MS) * MINUTE_MS; t < toMs; t += MINUTE_MS)
      if (isBadSlice(windowCounts(p, t, t + MINUTE_MS), model.objective)) bad++;
    const periodMinutes = Math.round(periodLengthMs(model.window, nowMs) / MINUTE_MS);
    remaining = remainingFromBadSlices(bad, model.objective, periodMinutes);
    allowed = allowedBadSlices(model.objective, periodMinutes);
  } else {
    bad = counts.total - counts.good;
    remaining = remainingBudget(counts, model.objective);
    allowed = errorBudget(model.objective) * counts.total;
  }
  const burnRates = burnRatesAt(p, toMs, model.objective);
  // The projection speaks the budget's unit: bad minutes for timeslices, bad requests for occurrences.
  const projectionBurn =
    model.method === "timeslices"
      ? sliceBurnRate(p, toMs - STATUS_WINDOWS["1h"], toMs, model.objective)
      : burnRates["1h"];
  const tte = timeToExhaustionHours(remaining, periodLengthMs(model.window, nowMs), projectionBurn);
  return {
    period,
    counts,
    sli: sli(counts),
    unit: budgetUnit(model.method),
    allowed,
    bad,
    remaining,
    burnRates,
    timeToExhaustionHours: tte,
    exhaustion: exhaustionOutlook(tte, projectionHorizonMs(model.window, nowMs)),
    tiers: evaluateTiers(p, toMs, model.objective, model.tiers, model.guard ?? DEFAULT_LOW_TRAFFIC_GUARD),
  };
}

export interface SeriesPoint {
  t: number;
  good: number;
  total: number;
  sli: number | null;
  remaining: number | null;
  burnRate1h: number | null;
  /** Burn rate over each window the tiers read, keyed by windowLabel ("5m", "1h", "3d"…), ending at `t`. */
  burnRates: Record<string, number | null>;
}

/**
 * Points for the graphs: counts per step, SLI, budget remaining (resetting at each period), the 1 h burn rate, and
 * the burn rate of every tier window, so each tier's threshold can be drawn against its own windows. The series
 * must start at least the longest tier window before `fromMs` (maxLookbackMs), or early points read short windows.
 */
export function seriesPoints(
  model: SloModel,
  series: MinuteSeries,
  fromMs: number,
  toMs: number,
  stepMs: number,
): SeriesPoint[] {
  const p = buildPrefixSums(series);
  // one curve point per step end (fromMs + step, …), so each point's remaining matches its `t`
  const curve = budgetCurve({
    series,
    window: model.window,
    objective: model.objective,
    method: model.method,
    fromMs: fromMs + stepMs,
    toMs: toMs + stepMs - 1,
    stepMs,
  });
  const windows = tierWindowsMs(model.tiers).map((ms) => [windowLabel(ms), ms] as const);
  const out: SeriesPoint[] = [];
  let i = 0;
  for (let t = fromMs; t < toMs; t += stepMs) {
    const c = windowCounts(p, t, t + stepMs);
    const end = t + stepMs;
    const burnRates: Record<string, number | null> = {};
    for (const [label, ms] of windows)
      burnRates[label] = burnRate(windowCounts(p, end - ms, end), model.objective);
    out.push({
      t: end,
      good: c.good,
      total: c.total,
      sli: sli(c),
      remaining: curve[i]?.remaining ?? null,
      burnRate1h: burnRate(windowCounts(p, end - STATUS_WINDOWS["1h"], end), model.objective),
      burnRates,
    });
    i++;
  }
  return out;
}

/** A step that gives about `targetPoints` points over a range, rounded to a whole number of minutes. */
export function chooseStepMs(fromMs: number, toMs: number, targetPoints = 240): number {
  const raw = Math.max(MINUTE_MS, (toMs - fromMs) / targetPoints);
  const nice = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE_MS);
  return nice.find((n) => n >= raw) ?? nice[nice.length - 1]!;
}

/** Share of the period's budget spent within a window at a burn rate: burn × window / period. */
export function budgetSpentInWindow(
  burnRate: number | null,
  windowMs: number,
  periodMs: number,
): number | null {
  return burnRate === null ? null : (burnRate * windowMs) / periodMs;
}

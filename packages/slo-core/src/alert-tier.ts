import { errorBudget } from "./error-budget.js";
import { roundSignificant } from "./numeric.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

export type Severity = "page" | "ticket";

/**
 * One burn-rate alert rule. It fires when the burn rate over the long window, and over the short
 * window when there is one, is strictly greater than `factor`.
 */
export interface AlertTier {
  name: string;
  severity: Severity;
  longWindowMs: number;
  shortWindowMs: number | null;
  factor: number;
  /** Fraction of the period budget spent in the long window when the tier fires (0.02 = 2%). */
  budgetFraction?: number;
  enabled?: boolean;
}

/** The SRE Workbook (ch. 5, Table 5-8) multiwindow, multi-burn-rate tiers, period independent. */
export const WORKBOOK_TIER_SPECS: readonly {
  name: string;
  severity: Severity;
  longWindowMs: number;
  shortWindowMs: number;
  budgetFraction: number;
}[] = [
  {
    name: "fast-page",
    severity: "page",
    longWindowMs: HOUR_MS,
    shortWindowMs: 5 * MINUTE_MS,
    budgetFraction: 0.02,
  },
  {
    name: "slow-page",
    severity: "page",
    longWindowMs: 6 * HOUR_MS,
    shortWindowMs: 30 * MINUTE_MS,
    budgetFraction: 0.05,
  },
  {
    name: "fast-ticket",
    severity: "ticket",
    longWindowMs: DAY_MS,
    shortWindowMs: 2 * HOUR_MS,
    budgetFraction: 0.1,
  },
  {
    name: "slow-ticket",
    severity: "ticket",
    longWindowMs: 3 * DAY_MS,
    shortWindowMs: 6 * HOUR_MS,
    budgetFraction: 0.1,
  },
];

/** Burn-rate factor for "spend `budgetFraction` of the period budget within the long window". */
export function tierFactor(budgetFraction: number, periodMs: number, longWindowMs: number): number {
  return roundSignificant((budgetFraction * periodMs) / longWindowMs);
}

/** The four workbook tiers with factors for a period of `periodMs` (14.4/6/3/1 at 30 d). */
export function workbookTiers(periodMs: number): AlertTier[] {
  return WORKBOOK_TIER_SPECS.map((s) => ({
    name: s.name,
    severity: s.severity,
    longWindowMs: s.longWindowMs,
    shortWindowMs: s.shortWindowMs,
    factor: tierFactor(s.budgetFraction, periodMs, s.longWindowMs),
    budgetFraction: s.budgetFraction,
    enabled: true,
  }));
}

/** Fraction of the period budget spent in the long window when the tier starts firing. */
export function budgetSpentWhenFiring(tier: AlertTier, periodMs: number): number {
  return roundSignificant((tier.factor * tier.longWindowMs) / periodMs);
}

/**
 * How long an error rate (0.0–1.0, e.g. 1 for a full outage) must last, starting from a clean
 * long window, before the tier fires: ε ÷ errorRate × longWindow × factor (Workbook ch. 5).
 * `null` when that error rate can never push the burn rate above the factor.
 */
export function detectionTimeMs(tier: AlertTier, errorRate: number, objective: number): number | null {
  const eps = errorBudget(objective);
  if (errorRate <= 0 || errorRate / eps <= tier.factor) return null;
  return Math.round((eps / errorRate) * tier.longWindowMs * tier.factor);
}

import type { AlertTier } from "./alert-tier.js";
import { burnRate } from "./burn-rate.js";
import { decideTier, type LowTrafficGuard, type TierDecision } from "./decide-tier.js";
import { windowCounts, type CountSums } from "./prefix-sums.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

/** The windows whose burn rates the status page shows: every workbook long and short window. */
export const STATUS_WINDOWS = {
  "5m": 5 * MINUTE_MS,
  "30m": 30 * MINUTE_MS,
  "1h": HOUR_MS,
  "2h": 2 * HOUR_MS,
  "6h": 6 * HOUR_MS,
  "1d": DAY_MS,
  "3d": 3 * DAY_MS,
} as const satisfies Record<"5m" | "30m" | "1h" | "2h" | "6h" | "1d" | "3d", number>;

export type StatusWindow = keyof typeof STATUS_WINDOWS;

/** Burn rate over each status window ending at `nowMs` (null = no traffic in it). */
export function burnRatesAt(
  p: CountSums,
  nowMs: number,
  objective: number,
): Record<StatusWindow, number | null> {
  const out = {} as Record<StatusWindow, number | null>;
  for (const key of Object.keys(STATUS_WINDOWS) as StatusWindow[]) {
    out[key] = burnRate(windowCounts(p, nowMs - STATUS_WINDOWS[key], nowMs), objective);
  }
  return out;
}

/** Decides every tier at `nowMs` from prefix sums; O(number of tiers). */
export function evaluateTiers(
  p: CountSums,
  nowMs: number,
  objective: number,
  tiers: AlertTier[],
  guard?: LowTrafficGuard,
): TierDecision[] {
  return tiers.map((tier) =>
    decideTier(
      tier,
      {
        long: windowCounts(p, nowMs - tier.longWindowMs, nowMs),
        short: tier.shortWindowMs === null ? null : windowCounts(p, nowMs - tier.shortWindowMs, nowMs),
      },
      objective,
      guard,
    ),
  );
}

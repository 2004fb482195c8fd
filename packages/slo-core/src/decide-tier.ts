import type { AlertTier, Severity } from "./alert-tier.js";
import { burnRate, exceedsFactor } from "./burn-rate.js";
import { badEvents } from "./sli.js";
import type { EventCounts } from "./types.js";

/** Minimum traffic before a tier may fire, so a handful of requests does not page anyone. */
export interface LowTrafficGuard {
  minShortWindowEvents: number;
  minLongWindowBad: number;
}

/** Product default: ≥ 10 events in the short window and ≥ 3 bad events in the long window. */
export const DEFAULT_LOW_TRAFFIC_GUARD: LowTrafficGuard = { minShortWindowEvents: 10, minLongWindowBad: 3 };

export interface TierDecision {
  tier: string;
  severity: Severity;
  firing: boolean;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  factor: number;
  suppressedBy?: "low-traffic";
}

/**
 * Whether one tier fires. Both windows' burn rates must be strictly greater than the factor.
 * A single-window tier (shortWindowMs null) checks only the long window, and the guard's
 * short-window minimum then applies to the long window. A tier that has a short window but gets
 * no short counts treats the short window as "no data" and does not fire. Disabled tiers never fire.
 */
export function decideTier(
  tier: AlertTier,
  windows: { long: EventCounts; short: EventCounts | null },
  objective: number,
  guard: LowTrafficGuard = DEFAULT_LOW_TRAFFIC_GUARD,
): TierDecision {
  const singleWindow = tier.shortWindowMs === null;
  const longBurnRate = burnRate(windows.long, objective);
  const shortBurnRate = !singleWindow && windows.short ? burnRate(windows.short, objective) : null;
  const decision: TierDecision = {
    tier: tier.name,
    severity: tier.severity,
    firing: false,
    longBurnRate,
    shortBurnRate,
    factor: tier.factor,
  };
  if (tier.enabled === false) return decision;
  const burning =
    exceedsFactor(longBurnRate, tier.factor) && (singleWindow || exceedsFactor(shortBurnRate, tier.factor));
  if (!burning) return decision;
  const confirmWindow = singleWindow ? windows.long : windows.short;
  const enoughTraffic =
    (confirmWindow?.total ?? 0) >= guard.minShortWindowEvents &&
    badEvents(windows.long) >= guard.minLongWindowBad;
  if (!enoughTraffic) return { ...decision, suppressedBy: "low-traffic" };
  return { ...decision, firing: true };
}

import { periodAt } from "./period.js";
import { DAY_MS, HOUR_MS } from "./time-units.js";
import type { SloWindow } from "./types.js";

/**
 * What the projection at the current burn rate says about the budget:
 * - exhausted: none is left;
 * - within_period: it runs out before the period ends (a rolling window: within the window's length);
 * - beyond_period: at this rate it lasts past the period's end, so no date is given;
 * - not_burning: nothing is being spent (or there is no data).
 */
export type ExhaustionOutlook = "exhausted" | "within_period" | "beyond_period" | "not_burning";

/**
 * How far ahead a projection at `nowMs` may reach: to the end of the calendar period, or a rolling window's
 * length (bad events older than that leave the window, so a projection past it says nothing).
 */
export function projectionHorizonMs(window: SloWindow, nowMs: number): number {
  if (window.type === "rolling") return window.days * DAY_MS;
  return periodAt(window, nowMs).endMs - nowMs;
}

/** Classifies a time to exhaustion (hours, or null when not burning) against the horizon. */
export function exhaustionOutlook(
  timeToExhaustionHours: number | null,
  horizonMs: number,
): ExhaustionOutlook {
  if (timeToExhaustionHours === null) return "not_burning";
  if (timeToExhaustionHours <= 0) return "exhausted";
  return timeToExhaustionHours * HOUR_MS <= horizonMs ? "within_period" : "beyond_period";
}

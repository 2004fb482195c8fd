import type { AlertingSpec, WindowSpec } from "@burnrate/contracts";
import {
  DEFAULT_LOW_TRAFFIC_GUARD,
  percentToObjective,
  periodLengthMs,
  resolveTiers,
  type BudgetingMethod,
  type SloModel,
  type SloWindow,
} from "@burnrate/slo-core";

/** What the slo-core model of an SLO is made of: a stored SLO's columns, or an unsaved one's (the editor preview). */
export interface SloModelInput {
  objectivePercent: number;
  window: WindowSpec;
  budgetingMethod: BudgetingMethod;
  alerting: AlertingSpec | null;
}

/**
 * The slo-core model of an SLO at `atMs`: objective as a fraction, tiers resolved for the period in force then
 * (a calendar month's length varies), low-traffic guard.
 */
export function toSloModel(slo: SloModelInput, atMs: number): SloModel {
  const window: SloWindow =
    slo.window.type === "calendar" ? { ...slo.window, timeZone: slo.window.timeZone ?? "UTC" } : slo.window;
  return {
    objective: percentToObjective(slo.objectivePercent),
    window,
    method: slo.budgetingMethod,
    tiers: resolveTiers(slo.alerting, periodLengthMs(window, atMs)),
    guard: slo.alerting?.lowTraffic ?? DEFAULT_LOW_TRAFFIC_GUARD,
  };
}

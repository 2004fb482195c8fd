import type { CreateSloBody, SliSpec, SloResponse } from "@burnrate/contracts";
import { canonicalFilter } from "@burnrate/ingest/filter";
import { normalizeAlerting, normalizeWindow } from "../model";

/** The fields of an SLO that the file controls, in a form where equal meaning compares equal. */
export function comparable(s: CreateSloBody | SloResponse): Record<string, unknown> {
  const sli: SliSpec =
    s.sli.type === "ratio"
      ? { type: "ratio", good: canonicalFilter(s.sli.good), total: canonicalFilter(s.sli.total) }
      : s.sli;
  return {
    name: s.name,
    description: s.description ?? null,
    endpoint: s.endpoint ?? null,
    sli,
    objectivePercent: s.objectivePercent,
    window: normalizeWindow(s.window),
    budgetingMethod: s.budgetingMethod,
    priority: s.priority ?? null,
    journeyStep: s.journeyStep ?? null,
    customerSegment: s.customerSegment ?? null,
    runbookUrl: s.runbookUrl ?? null,
    alerting: normalizeAlerting(s.alerting),
  };
}

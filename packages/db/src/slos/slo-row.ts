import { AlertingSpec, SliSpec, WindowSpec } from "@burnrate/contracts";
import type { BudgetingMethod } from "@burnrate/slo-core";
import type { Prisma } from "../generated/prisma/client";

/** What an SLO is read with wherever it becomes an API answer, a slo-core model or an SLI target. */
export const SLO_INCLUDE = { service: { include: { team: true } }, endpoint: true } as const;

/** An SLO row read with SLO_INCLUDE. */
export type SloWithService = Prisma.SloGetPayload<{ include: typeof SLO_INCLUDE }>;

/** The JSON and enumerated columns of an SLO row, parsed with the contracts. */
export interface SloSpec {
  sli: SliSpec;
  window: WindowSpec;
  budgetingMethod: BudgetingMethod;
  alerting: AlertingSpec | null;
}

/** Parses an SLO row's specification; a bad row fails loudly here. */
export function parseSloSpec(
  row: Pick<SloWithService, "sli" | "window" | "budgetingMethod" | "alerting">,
): SloSpec {
  return {
    sli: SliSpec.parse(row.sli),
    window: WindowSpec.parse(row.window),
    budgetingMethod: row.budgetingMethod === "timeslices" ? "timeslices" : "occurrences",
    alerting: row.alerting == null ? null : AlertingSpec.parse(row.alerting),
  };
}

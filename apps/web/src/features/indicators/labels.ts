import type { DepletionRow } from "@burnrate/contracts";
import { fmtObjective, fmtPeriodDates } from "../../components/format";

/** A period's first and last day in the SLO's zone, and the zone ("Mar 1 – Mar 28 (Europe/Berlin)"). */
export const periodLabel = (r: Pick<DepletionRow, "dates">) =>
  `${fmtPeriodDates(r.dates)} (${r.dates.timeZone})`;
/** An SLO by its endpoint (or name) and objective ("GET /affil 99.95%"). */
export const sloLabel = (r: DepletionRow) => `${r.endpoint ?? r.name} ${fmtObjective(r.objectivePercent)}`;
/** A depletion speed in %/h, one decimal; a dash without data. */
export const speed = (x: number | null) => (x === null ? "–" : x.toFixed(1));

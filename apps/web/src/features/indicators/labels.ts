import type { DepletionRow } from "@burnrate/contracts";
import { fmtDay, fmtObjective } from "../../components/format";

/** A period's first and last day ("Mar 1 – Mar 28"). */
export const periodLabel = (p: { start: number; end: number }) => `${fmtDay(p.start)} – ${fmtDay(p.end - 1)}`;
/** An SLO by its endpoint (or name) and objective ("GET /affil 99.95%"). */
export const sloLabel = (r: DepletionRow) => `${r.endpoint ?? r.name} ${fmtObjective(r.objectivePercent)}`;
/** A depletion speed in %/h, one decimal; a dash without data. */
export const speed = (x: number | null) => (x === null ? "–" : x.toFixed(1));

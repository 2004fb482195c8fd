/** How numbers read to people, the same in the UI and in Slack. */
export function formatPercent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? "no data" : `${(x * 100).toFixed(digits)}%`;
}

/**
 * A time to exhaustion read against the period: a projection past the period's end gives no date ("not
 * within this period"); otherwise as formatHours.
 */
export function formatExhaustion(
  h: number | null | undefined,
  outlook: "exhausted" | "within_period" | "beyond_period" | "not_burning" | null | undefined,
): string {
  return outlook === "beyond_period" ? "not within this period" : formatHours(h);
}

/** A time to exhaustion: minutes under an hour, hours under three days, then days. */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined) return "not burning";
  if (h <= 0) return "exhausted";
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 72) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

const budgetNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** An error budget's counts in its own unit: "5,760 bad requests of 1,440 allowed", "96 bad minutes of 44.64 allowed". */
export function formatBudgetCounts(b: {
  allowed: number;
  bad: number;
  unit: "requests" | "minutes";
}): string {
  const unit = b.bad === 1 ? b.unit.slice(0, -1) : b.unit;
  return `${budgetNumber.format(b.bad)} bad ${unit} of ${budgetNumber.format(b.allowed)} allowed`;
}

/** How one budget period went, in the words of the periods grid, the CSV and the monthly PDF. */
export type PeriodOutcome = "no data" | "fulfilled" | "broken" | "ran out early" | "ran out, recovered";

/**
 * A period's outcome in one phrase: a budget that hit 0 before the period ended "ran out early"; a rolling
 * window that ran out and then got its budget back as its oldest bad minutes left it "ran out, recovered"
 * (fulfilled in the end, but not without running out, so never plain "fulfilled" beside a ran-out date).
 */
export function periodOutcome(p: {
  adherence: "fulfilled" | "broken" | null;
  exhausted: boolean;
}): PeriodOutcome {
  if (p.adherence === null) return "no data";
  if (p.exhausted) return p.adherence === "fulfilled" ? "ran out, recovered" : "ran out early";
  return p.adherence;
}

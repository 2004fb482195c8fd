import type { SlaResponse, SlaStatusRow } from "@burnrate/contracts";
import { fmtDay } from "../../components/format";

/** "1.1–29.1"-style label of a period (its end is the next period's start, as the book writes it). */
export const periodLabel = (p: { start: number; end: number }) => `${fmtDay(p.start)} – ${fmtDay(p.end)}`;

/** The SLI in words: "latency ≤ 15 s" or "availability". */
export const sliLabel = (sli: SlaStatusRow["sli"]) =>
  sli.type === "latency"
    ? `latency ≤ ${sli.thresholdMs >= 1000 ? `${sli.thresholdMs / 1000} s` : `${sli.thresholdMs} ms`}`
    : "availability";

/** A calendar window in words. */
export const windowLabel = (w: SlaResponse["window"]) =>
  (w.period === "4w" ? "4-week periods" : w.period === "month" ? "calendar months" : "calendar quarters") +
  (w.timeZone ? ` (${w.timeZone})` : "");

/** A budget fraction as a whole percent ("30%", "−20%"), or a dash. */
export const fmtBudget = (r: number | null) =>
  r === null ? "–" : `${Math.round(r * 100)}%`.replace("-", "−");

/** A depletion speed, one decimal as the book shows it. */
export const fmtSpeed = (s: number | null) => (s === null ? "–" : s.toFixed(1));

import type { AlertingSpec } from "@burnrate/contracts";
import { WORKBOOK_TIER_SPECS } from "@burnrate/slo-core";

const MINUTE_MS = 60_000;

/** One custom alert tier as typed. */
export interface TierRow {
  name: string;
  severity: "page" | "ticket";
  longWindowMinutes: string;
  shortWindowMinutes: string;
  budgetPercent: string;
  /** a burn-rate factor, used when no budget share is given */
  factor: string;
  enabled: boolean;
}

/** The workbook's tiers as rows: where a custom set starts from. */
export const workbookRows = (): TierRow[] =>
  WORKBOOK_TIER_SPECS.map((s) => ({
    name: s.name,
    severity: s.severity,
    longWindowMinutes: String(s.longWindowMs / MINUTE_MS),
    shortWindowMinutes: String(s.shortWindowMs / MINUTE_MS),
    budgetPercent: String(s.budgetFraction * 100),
    factor: "",
    enabled: true,
  }));

/** The names of the default tiers, for the checkboxes that turn them off. */
export const DEFAULT_TIER_NAMES = WORKBOOK_TIER_SPECS.map((s) => s.name);

const num = (s: string): number | string => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s);

/** The alerting part of the body: the workbook tiers with some turned off, or a custom set. */
export function alertingBody(
  mode: "default" | "custom",
  disabled: string[],
  rows: TierRow[],
  rest: Omit<AlertingSpec, "tiers" | "disabledTiers">,
): Record<string, unknown> {
  if (mode === "custom")
    return {
      ...rest,
      tiers: rows.map((r) => ({
        name: r.name.trim(),
        severity: r.severity,
        longWindowMinutes: num(r.longWindowMinutes),
        shortWindowMinutes: r.shortWindowMinutes.trim() === "" ? null : num(r.shortWindowMinutes),
        ...(r.budgetPercent.trim() !== "" || r.factor.trim() === ""
          ? { budgetPercent: num(r.budgetPercent) }
          : { factor: num(r.factor) }),
        enabled: r.enabled,
      })),
    };
  return { ...rest, ...(disabled.length ? { disabledTiers: disabled } : {}) };
}

/** The rows of a saved custom set (a tier given by its factor keeps it). */
export function rowsOf(a: AlertingSpec | null): TierRow[] {
  if (!a?.tiers) return workbookRows();
  return a.tiers.map((t) => ({
    name: t.name,
    severity: t.severity,
    longWindowMinutes: String(t.longWindowMinutes),
    shortWindowMinutes:
      t.shortWindowMinutes === null || t.shortWindowMinutes === undefined ? "" : String(t.shortWindowMinutes),
    budgetPercent: t.budgetPercent === undefined ? "" : String(t.budgetPercent),
    factor: t.factor === undefined ? "" : String(t.factor),
    enabled: t.enabled ?? true,
  }));
}

/**
 * Burnrate ↔ OpenSLO mapping: names, annotations, durations and the normal form of alerting used to compare
 * an imported SLO with the stored one. The mapping (also in docs of the import/export routes):
 *
 * - Service ↔ Service: metadata.name = slug, displayName = name, labels.team = owning team, spec.description;
 *   annotations burnrate.io/failure-statuses ("429,500-599"), burnrate.io/runbook-url, burnrate.io/service-tier.
 *   A 64-character slug is longer than a DNS label: metadata.name is then cut to 63 and burnrate.io/slug holds it
 *   (an SLO's spec.service names the Service document). OpenSLO's limits hold for every kind: a name over 63
 *   characters is cut in displayName and kept whole in burnrate.io/name, a description over 1,050 characters is
 *   cut in spec.description and kept whole in burnrate.io/description.
 * - SLI (metric source type `burnrate.requests`, spec.endpoint = "METHOD /route" when the SLO is scoped):
 *   - ratio: ratioMetric good/total with spec.filter (canonical filter text);
 *   - latency: thresholdMetric with spec.field durationMs, and the objective's op lte + value (ms);
 *   - availability: a ratioMetric whose good filter spells out the service's failure set
 *     (`not (status >= 500 and status <= 599)`) and total `true`, marked with the SLI annotation
 *     burnrate.io/sli: availability. The mark keeps it an availability SLI on import, so it follows later
 *     changes of the service's failure set; without the mark the same document is a plain ratio SLI.
 * - SLO: displayName = Burnrate name (the key for matching on import, per service), objectives[0].target,
 *   timeWindow `Nd` rolling or `1M`/`1Q`/`4w` calendar with timeZone, budgetingMethod Occurrences/Timeslices,
 *   annotations burnrate.io/priority, journey-step, customer-segment, runbook-url, min-short-window-events,
 *   min-long-window-bad, no-data-minutes.
 * - Each enabled alert tier ↔ one AlertPolicy with an inline AlertCondition (kind burnrate, op gt, threshold =
 *   factor, lookbackWindow = long window); the short window is the annotation burnrate.io/short-window
 *   ("none" or absent for a single-window tier: one lookback window is one window), burnrate.io/tier the tier
 *   name, and burnrate.io/budget-percent for tiers defined by budget share (the threshold is then written for a
 *   nominal period: N days rolling, 30 d month, 90 d quarter, 28 d for 4w). An SLO that alerts on nothing carries
 *   burnrate.io/alerting: none; one imported without policies gets the default tiers, with a warning.
 * - AlertNotificationTarget `<team>-slack` ↔ the team's Slack channel (annotations burnrate.io/team and
 *   burnrate.io/slack-channel; on import a `#channel` in the description also works); a team without a channel
 *   gets `<team>-burnrate` (target: burnrate, Burnrate's alert list), so that every policy names a target.
 * - On import, every key is checked against OpenSLO's (an unknown key is refused with its path), and what
 *   OpenSLO says that Burnrate cannot do exactly (alertAfter, alertWhenNoData, email targets, a calendar
 *   startTime off Burnrate's period starts, timeSliceTarget…) is refused or warned about, naming the field.
 */
import { LATENCY_BOUNDS_MS, type AlertingSpec, type SliSpec, type WindowSpec } from "@burnrate/contracts";
import { MINUTE_MS, WORKBOOK_TIER_SPECS } from "@burnrate/slo-core";

export const API_VERSION = "openslo/v1";
export const METRIC_SOURCE_TYPE = "burnrate.requests";
/** Metric source types read as Burnrate request logs (the second is the anchors' example type). */
export const METRIC_SOURCE_TYPES = [METRIC_SOURCE_TYPE, "sreplatform.logs"];
export const ANN = "burnrate.io/";
/** Annotation prefixes read on import (ours, and the one of the Workbook-style example). */
export const ANN_PREFIXES = [ANN, "sreplatform.io/"];

export const WORKBOOK_TIERS = WORKBOOK_TIER_SPECS.map((t) => ({
  name: t.name,
  severity: t.severity,
  longWindowMinutes: t.longWindowMs / MINUTE_MS,
  shortWindowMinutes: t.shortWindowMs / MINUTE_MS,
  budgetPercent: Number((t.budgetFraction * 100).toPrecision(12)),
}));

export type TierSpec = NonNullable<AlertingSpec["tiers"]>[number];

/** RFC 1123 label-ish names, ≤ 63 characters. */
export const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export function slugify(s: string, max = 63): string {
  const x = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/g, "");
  return x || "x";
}

/** Hands out unique names per kind. */
export class NameAllocator {
  private readonly used = new Set<string>();
  take(base: string): string {
    const b = slugify(base);
    let name = b;
    for (let i = 2; this.used.has(name); i++) name = `${b.slice(0, 63 - String(i).length - 1)}-${i}`;
    this.used.add(name);
    return name;
  }
}

/** Minutes → OpenSLO duration shorthand (largest exact unit among m, h, d). */
export function formatMinutes(min: number): string {
  if (min % 1440 === 0) return `${min / 1440}d`;
  if (min % 60 === 0) return `${min / 60}h`;
  return `${min}m`;
}
const UNIT_MIN: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };
/** OpenSLO duration with m/h/d/w → minutes, or null. */
export function parseMinutes(s: unknown): number | null {
  const m = typeof s === "string" ? /^(\d+)([mhdw])$/.exec(s.trim()) : null;
  return m ? Number(m[1]) * UNIT_MIN[m[2]!]! : null;
}

/** Nominal period length (days) used to write thresholds of budget-share tiers. */
export function nominalPeriodDays(w: WindowSpec): number {
  if (w.type === "rolling") return w.days;
  return w.period === "month" ? 30 : w.period === "quarter" ? 90 : 28;
}

/** Failure set → good filter: [429, 500..599] → `not (status = 429 or status >= 500 and status <= 599)`. */
export function availabilityGoodFilter(failure: number[]): string {
  const sorted = [...new Set(failure)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `status = ${sorted[i]}` : `status >= ${sorted[i]} and status <= ${sorted[j]}`);
    i = j + 1;
  }
  if (parts.length === 0) return "true";
  return parts.length === 1 && !parts[0]!.includes(" and ")
    ? `not ${parts[0]}`
    : `not (${parts.join(" or ")})`;
}

/** Canonical alerting: the same meaning gives the same value (null, {} and explicit workbook tiers agree). */
export interface AlertingNormal {
  tiers: TierSpec[] | null;
  disabledTiers: string[];
  lowTraffic: AlertingSpec["lowTraffic"] | null;
  noDataMinutes: number | null;
}
export function normalizeAlerting(a: AlertingSpec | null | undefined): AlertingNormal {
  const disabled = new Set(a?.disabledTiers ?? []);
  let tiers: TierSpec[] | null = null;
  let disabledTiers: string[] = [];
  if (a?.tiers) {
    const enabled = a.tiers
      .filter((t) => t.enabled !== false && !disabled.has(t.name))
      .map((t) => cleanTier(t));
    const asDefault = workbookSubset(enabled);
    if (asDefault) disabledTiers = asDefault;
    else tiers = enabled;
  } else {
    disabledTiers = WORKBOOK_TIERS.map((t) => t.name).filter((n) => disabled.has(n));
  }
  return {
    tiers,
    disabledTiers,
    lowTraffic: a?.lowTraffic ?? null,
    noDataMinutes: a?.noDataMinutes ?? null,
  };
}
function cleanTier(t: TierSpec): TierSpec {
  return {
    name: t.name,
    severity: t.severity,
    longWindowMinutes: t.longWindowMinutes,
    shortWindowMinutes: t.shortWindowMinutes ?? null,
    ...(t.factor !== undefined ? { factor: t.factor } : { budgetPercent: t.budgetPercent ?? 100 }),
    enabled: true,
  };
}
/** When tiers are exactly some of the workbook tiers in workbook order: the names of the missing ones. */
function workbookSubset(tiers: TierSpec[]): string[] | null {
  let k = 0;
  for (const t of tiers) {
    while (k < WORKBOOK_TIERS.length && WORKBOOK_TIERS[k]!.name !== t.name) k++;
    const w = WORKBOOK_TIERS[k];
    if (
      !w ||
      t.factor !== undefined ||
      t.severity !== w.severity ||
      t.longWindowMinutes !== w.longWindowMinutes ||
      (t.shortWindowMinutes ?? null) !== w.shortWindowMinutes ||
      t.budgetPercent !== w.budgetPercent
    )
      return null;
    k++;
  }
  const names = new Set(tiers.map((t) => t.name));
  return WORKBOOK_TIERS.map((t) => t.name).filter((n) => !names.has(n));
}
/** Normal form → the AlertingSpec stored on the SLO ({} means the defaults). */
export function denormalizeAlerting(n: AlertingNormal): AlertingSpec {
  return {
    ...(n.tiers ? { tiers: n.tiers } : {}),
    ...(n.disabledTiers.length ? { disabledTiers: n.disabledTiers } : {}),
    ...(n.lowTraffic ? { lowTraffic: n.lowTraffic } : {}),
    ...(n.noDataMinutes != null ? { noDataMinutes: n.noDataMinutes } : {}),
  };
}
/** The tiers an SLO alerts with, in order (workbook tiers carry budgetPercent). */
export function effectiveTiers(n: AlertingNormal): TierSpec[] {
  if (n.tiers) return n.tiers;
  return WORKBOOK_TIERS.filter((t) => !n.disabledTiers.includes(t.name)).map((t) => ({
    name: t.name,
    severity: t.severity,
    longWindowMinutes: t.longWindowMinutes,
    shortWindowMinutes: t.shortWindowMinutes,
    budgetPercent: t.budgetPercent,
    enabled: true,
  }));
}

export function normalizeWindow(w: WindowSpec): WindowSpec {
  return w.type === "rolling" ? w : { type: "calendar", period: w.period, timeZone: w.timeZone ?? "UTC" };
}

export const DURATION_BOUNDS = LATENCY_BOUNDS_MS;
export type { SliSpec, WindowSpec, AlertingSpec };

import type { SlaResponse, SloResponse, SloSeriesResponse } from "@burnrate/contracts";

export interface ChartRow {
  t: number;
  sliPercent: number | null;
  remainingPercent: number | null;
  /** the budget where it is 0 or more (0 at the step that crosses into debt, so the area closes there) */
  budgetPercent: number | null;
  /** the budget where it is below 0, drawn in the danger colour under the zero line */
  debtPercent: number | null;
  total: number;
}

/**
 * Shapes the API's series for Recharts: percentages for display, nulls kept as gaps (no data ≠ 0). Before the
 * first point with traffic the budget is a gap too: a full budget drawn over time without any data would
 * suggest a history that does not exist. The budget is split at 0 into what is left and what is debt, so each
 * is filled in its own colour; a step next to the other side is 0 in both, so the two areas meet at the line.
 */
export function toChartRows(s: SloSeriesResponse): ChartRow[] {
  let seen = false;
  const remaining = s.points.map((p) => {
    if (p.total > 0) seen = true;
    return p.remaining === null || !seen ? null : round(p.remaining * 100, 3);
  });
  return s.points.map((p, i) => {
    const r = remaining[i] ?? null;
    const near = [remaining[i - 1] ?? null, remaining[i + 1] ?? null];
    const nearDebt = near.some((v) => v !== null && v < 0);
    const nearLeft = near.some((v) => v !== null && v >= 0);
    return {
      t: p.t,
      sliPercent: p.sli === null ? null : round(p.sli * 100, 4),
      remainingPercent: r,
      budgetPercent: r === null ? null : r >= 0 ? r : nearLeft ? 0 : null,
      debtPercent: r === null ? null : r < 0 ? r : nearDebt ? 0 : null,
      total: p.total,
    };
  });
}

/** One burn-rate chart: a tier's threshold and the burn rates of its own long and short windows over time. */
export interface TierPanel {
  tier: string;
  severity: string;
  factor: number;
  longWindow: string;
  shortWindow: string | null;
  rows: { t: number; long: number | null; short: number | null }[];
  domain: [number, number];
}

/** Headroom above the highest burn rate or threshold, so neither touches the top of the chart. */
const BURN_HEADROOM = 1.1;

/**
 * A panel per tier: its threshold is drawn only against the burn rates of the windows it is decided on (the
 * fast page's 14.4× against the 1 h and 5 min burn, the slow ticket's 1× against 3 d and 6 h), never against
 * another tier's window. The y axis runs from 0 to above the panel's highest burn or its threshold.
 */
export function toTierPanels(s: SloSeriesResponse): TierPanel[] {
  return s.thresholds.map((th) => {
    const rows = s.points.map((p) => ({
      t: p.t,
      long: roundOrNull(p.burnRates[th.longWindow]),
      short: th.shortWindow === null ? null : roundOrNull(p.burnRates[th.shortWindow]),
    }));
    const top = Math.max(1, th.factor, ...rows.flatMap((r) => [r.long ?? 0, r.short ?? 0]));
    return {
      tier: th.tier,
      severity: th.severity,
      factor: round(th.factor, 3),
      longWindow: th.longWindow,
      shortWindow: th.shortWindow,
      rows,
      domain: [0, niceCeil(top * BURN_HEADROOM)],
    };
  });
}

/** Y-axis domain for the SLI chart: tight around the data and the objective, so a 99.9% line is visible. */
export function sliDomain(rows: Pick<ChartRow, "sliPercent">[], objectivePercent: number): [number, number] {
  const vals = rows.map((r) => r.sliPercent).filter((v): v is number => v !== null);
  const lo = Math.min(objectivePercent, ...vals);
  const pad = Math.max((100 - lo) * 0.1, 0.01);
  return [Math.max(0, round(lo - pad, 4)), 100];
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const roundOrNull = (x: number | null | undefined) => (x === null || x === undefined ? null : round(x, 3));

/** The next round value at or above x: a whole number up to 20, above that a multiple of half its magnitude. */
function niceCeil(x: number): number {
  if (x <= 20) return Math.ceil(x);
  const step = 10 ** (Math.floor(Math.log10(x)) - 1) * 5;
  return Math.ceil(x / step) * step;
}

/** Round ticks for the budget chart: from the lowest value (or 0) up to 100%, always including 0. */
export function budgetTicks(rows: Pick<ChartRow, "remainingPercent">[]): number[] {
  const vals = rows.map((r) => r.remainingPercent).filter((v): v is number => v !== null);
  const lo = Math.min(0, ...vals);
  const span = 100 - lo;
  const step = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000].find((s) => span / s <= 6) ?? 10_000;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t < 100; t += step) ticks.push(t);
  ticks.push(100);
  return ticks;
}

/** Round ticks for the SLI chart between its domain bounds. */
export function sliTicks([lo, hi]: [number, number]): number[] {
  const span = hi - lo;
  const step =
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25].find((s) => span / s <= 5) ??
    50;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(round(t, 4));
  return ticks;
}

/** Period boundaries inside the range (not the range's own start), for the charts' "period" lines. */
export function periodBoundaries(s: Pick<SloSeriesResponse, "periods" | "from">): number[] {
  return s.periods.filter((p) => p.start > s.from).map((p) => p.start);
}

/**
 * The time axis fitted to the data: from the start of the first step with traffic (or an earlier marker in the
 * range) to the end of the range, so a young SLO's few hours are not squeezed against the right edge of a 28-day
 * axis. With no traffic at all it is the whole range.
 */
export function xDomain(s: SloSeriesResponse): [number, number] {
  const first = s.points.find((p) => p.total > 0);
  if (!first) return [s.from, s.to];
  const dataStart = Math.max(s.from, first.t - s.stepMs);
  const markers = s.deployments.map((d) => d.at).filter((at) => at >= s.from && at < dataStart);
  return [Math.min(dataStart, ...markers), s.to];
}

export type MarkerKind = "deployment" | "game_day" | "comment" | "maintenance";

/**
 * Markers of the time charts: every marker keeps its line, but nearby ones share one label with a count
 * (placed on the group's first line), so no two labels collide.
 */
export interface MarkerGroup {
  at: number;
  kind: MarkerKind | "mixed";
  label: string;
  /** every marker in the group in words: "deploy v1.42.0 (prod-eu), game day failover" */
  title: string;
  count: number;
  /** each marker's own line */
  members: { at: number; kind: MarkerKind }[];
}

const KIND_NAMES: Record<MarkerKind, [string, string]> = {
  deployment: ["deploy", "deploys"],
  game_day: ["game day", "game days"],
  comment: ["note", "notes"],
  maintenance: ["maintenance", "maintenance"],
};
const kindOf = (k: string): MarkerKind => (k in KIND_NAMES ? (k as MarkerKind) : "comment");
/** The longest version drawn in full; longer ones end in "…" (the marker's title has the whole text). */
const VERSION_CHARS = 12;
const shorten = (v: string) => (v.length > VERSION_CHARS ? `${v.slice(0, VERSION_CHARS - 1)}…` : v);

/**
 * Point markers (deployments, game days, comments, and maintenance without an end) inside the x domain, grouped:
 * a marker within `minGapFraction` of the domain after the group's first joins it (its line is still drawn). A group of one is labelled
 * with its version (game days with "game day: "), a larger group with a count ("3 deploys").
 */
export function markerGroups(
  s: SloSeriesResponse,
  domain: [number, number],
  minGapFraction = 0.12,
): MarkerGroup[] {
  const gap = (domain[1] - domain[0]) * minGapFraction;
  const points = s.deployments
    .filter((d) => d.endsAt === null && d.at >= domain[0] && d.at <= domain[1])
    .sort((a, b) => a.at - b.at);
  const groups: (typeof points)[] = [];
  for (const d of points) {
    const g = groups[groups.length - 1];
    if (g && d.at - g[0]!.at < gap) g.push(d);
    else groups.push([d]);
  }
  return groups.map((g) => {
    const kinds = new Set(g.map((d) => kindOf(d.kind)));
    const kind = kinds.size === 1 ? [...kinds][0]! : "mixed";
    const one = g[0]!;
    const label =
      g.length === 1
        ? `${kind === "game_day" ? "game day " : ""}${shorten(one.version)}`
        : kind === "mixed"
          ? `${g.length} markers`
          : `${g.length} ${KIND_NAMES[kind][1]}`;
    return {
      at: one.at,
      kind,
      label,
      title: g
        .map((d) => `${KIND_NAMES[kindOf(d.kind)][0]} ${d.version}${d.region ? ` (${d.region})` : ""}`)
        .join(", "),
      count: g.length,
      members: g.map((d) => ({ at: d.at, kind: kindOf(d.kind) })),
    };
  });
}

/** Maintenance windows as ranges, clipped to the x domain (ones wholly outside it are left out). */
export function maintenanceRanges(
  s: SloSeriesResponse,
  domain: [number, number],
): { from: number; to: number; label: string }[] {
  return s.deployments
    .filter((d) => d.endsAt !== null && d.endsAt > domain[0] && d.at < domain[1])
    .map((d) => ({
      from: Math.max(d.at, domain[0]),
      to: Math.min(d.endsAt!, domain[1]),
      label: `maintenance ${d.version}`,
    }));
}

/**
 * The range a drag across a chart selects, earliest first; null when it is shorter than `minSpanMs` (a click,
 * or a drag within one step, zooms nothing).
 */
export function zoomRange(a: number, b: number, minSpanMs: number): [number, number] | null {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return hi - lo >= minSpanMs && hi > lo ? [lo, hi] : null;
}

/** A zoom read from the URL (`from` and `to` in epoch ms): null unless both are numbers and from < to. */
export function parseZoom(from: string, to: string): { from: number; to: number } | null {
  if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) return null;
  const f = Number(from);
  const t = Number(to);
  return f < t ? { from: f, to: t } : null;
}

/**
 * The SLA objectives to draw beside an SLO's: the SLAs covering its service over the same SLI (availability, or
 * latency with the same threshold), and the endpoint-level SLAs on its endpoint.
 */
export function slaLines(
  slo: Pick<SloResponse, "service" | "endpoint" | "sli">,
  slas: SlaResponse[],
): { name: string; objectivePercent: number }[] {
  const same = (sli: SlaResponse["sli"]) =>
    sli.type === slo.sli.type &&
    (sli.type !== "latency" || (slo.sli.type === "latency" && sli.thresholdMs === slo.sli.thresholdMs));
  const out: { name: string; objectivePercent: number }[] = [];
  for (const s of slas) {
    if (!s.services.some((x) => x.slug === slo.service)) continue;
    if (same(s.sli)) out.push({ name: s.name, objectivePercent: s.objectivePercent });
    for (const c of s.children)
      if (c.service === slo.service && c.endpoint === slo.endpoint && same(c.sli))
        out.push({ name: `${s.name}: ${c.endpoint}`, objectivePercent: c.objectivePercent });
  }
  return out;
}

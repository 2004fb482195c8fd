import {
  NotFoundError,
  ValidationError,
  type SloSeriesResponse,
  type SloStatusResponse,
} from "@burnrate/contracts";
import {
  firstDataMs,
  loadSlo,
  loadSliSeries,
  sampledSums,
  sloRegions,
  type Db,
  type LoadedSlo,
} from "@burnrate/db";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  chooseStepMs,
  computeStatus,
  evaluationInstants,
  maxLookbackMs,
  minuteEnd,
  sampledSumsFromWindows,
  type EventCounts,
  periodAt,
  previousPeriods,
  seriesPoints,
  statusFromSums,
  statusRange,
  windowLabel,
  type AlertTier,
  partialHistory,
} from "@burnrate/slo-core";

async function resolveRegion(
  db: Db,
  region: string | undefined,
): Promise<{ id: string; slug: string } | null> {
  if (!region || region === "all") return null;
  const r = await db.region.findUnique({ where: { slug: region } });
  if (!r) throw new NotFoundError("region", region);
  return { id: r.id, slug: r.slug };
}

async function requireSlo(db: Db, id: string): Promise<LoadedSlo> {
  const slo = await loadSlo(db, id);
  if (!slo) throw new NotFoundError("slo", id);
  return slo;
}

function parseInstant(v: string | number | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new ValidationError(`query field '${field}': not a time`, { field });
  return ms;
}

export async function getSloStatus(deps: {
  db: Db;
  id: string;
  region?: string;
  at?: string | number;
  nowMs: number;
}): Promise<SloStatusResponse> {
  const slo = await requireSlo(deps.db, deps.id);
  const region = await resolveRegion(deps.db, deps.region);
  const asked = parseInstant(deps.at, "at");
  if (slo.spec.sli.type === "prometheus" && !region) {
    const state = await deps.db.sloSourceState.findUnique({ where: { sloId: slo.id } });
    const evalMs = state?.countsAt?.getTime() ?? null;
    // Its last evaluation, unless an earlier instant is asked for (those counts are in Prometheus, not here).
    if (asked === undefined || (evalMs !== null && asked >= evalMs))
      return prometheusStatus(slo, state, evalMs ?? deps.nowMs);
  }
  const at = asked ?? deps.nowMs;
  const model = slo.model(at);
  const range = statusRange(model, at);
  // Occurrences need only the running totals at the instants the period and the windows start; timeslices
  // judge every minute of the period.
  const s =
    model.method === "occurrences"
      ? statusFromSums(
          model,
          await sampledSums(deps.db, slo.id, region?.id ?? null, evaluationInstants(model, at)),
          at,
        )
      : computeStatus(
          model,
          await loadSliSeries(deps.db, slo.id, region?.id ?? null, range.fromMs, range.toMs),
          at,
        );
  const regions = await sloRegions(deps.db, slo.id);
  const lastMs = region
    ? regions.find((r) => r.id === region.id)?.lastMs
    : Math.max(0, ...regions.map((r) => r.lastMs));
  const ofRegion = region ? regions.filter((r) => r.id === region.id) : regions;
  const history = partialHistory(
    model.window,
    s.period,
    ofRegion.length ? Math.min(...ofRegion.map((r) => r.firstMs)) : null,
    at,
  );
  return {
    sloId: slo.id,
    region: region?.slug ?? null,
    period: { start: new Date(s.period.startMs).toISOString(), end: new Date(s.period.endMs).toISOString() },
    objectivePercent: slo.row.objectivePercent,
    sli: { good: s.counts.good, total: s.counts.total, ratio: s.sli },
    errorBudget: { allowed: s.allowed, bad: s.bad, remainingFraction: s.remaining, unit: s.unit },
    burnRates: s.burnRates,
    timeToExhaustionHours: s.timeToExhaustionHours,
    exhaustion: s.exhaustion,
    dataUntil: lastMs ? new Date(lastMs + MINUTE_MS).toISOString() : null,
    historyDays: history?.days ?? null,
    tiers: tierStates(s.tiers, model),
    regions: regions.map((r) => r.slug),
  };
}

/** A source state's kept counts ([[windowMs, good, total], …]) by window; nothing kept reads as no data. */
export function windowCountsOf(json: unknown): Map<number, EventCounts> {
  const out = new Map<number, EventCounts>();
  if (!Array.isArray(json)) return out;
  for (const e of json as unknown[]) {
    if (!Array.isArray(e) || e.length !== 3 || !e.every((v) => typeof v === "number")) continue;
    out.set(e[0] as number, { good: e[1] as number, total: e[2] as number });
  }
  return out;
}

/**
 * A Prometheus-sourced SLO's status: the numbers its last evaluation decided on, rebuilt by the same slo-core
 * function from the window counts that evaluation pulled and kept (slo_source_states), at its instant. Such an
 * SLO has no SLI rows of its own. Never evaluated yet: the status of no data at `evalMs` (now).
 */
function prometheusStatus(
  slo: LoadedSlo,
  state: {
    countsAt: Date | null;
    windowCounts: unknown;
    lastOkAt: Date | null;
    lastError: string | null;
    lastErrorAt: Date | null;
    failures: number;
  } | null,
  evalMs: number,
): SloStatusResponse {
  const model = slo.model(evalMs);
  const toMs = minuteEnd(evalMs);
  const counts = windowCountsOf(state?.windowCounts);
  const s = statusFromSums(
    model,
    sampledSumsFromWindows(toMs, evaluationInstants(model, evalMs), counts),
    evalMs,
  );
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const lastOkMs = state?.lastOkAt?.getTime() ?? null;
  return {
    sloId: slo.id,
    region: null,
    period: { start: new Date(s.period.startMs).toISOString(), end: new Date(s.period.endMs).toISOString() },
    objectivePercent: slo.row.objectivePercent,
    sli: { good: s.counts.good, total: s.counts.total, ratio: s.sli },
    errorBudget: { allowed: s.allowed, bad: s.bad, remainingFraction: s.remaining, unit: s.unit },
    burnRates: s.burnRates,
    timeToExhaustionHours: s.timeToExhaustionHours,
    exhaustion: s.exhaustion,
    // The windows end at the evaluated minute's end when that pull had series; else at the last one that did.
    dataUntil:
      lastOkMs === null ? null : new Date(counts.size > 0 ? toMs : minuteEnd(lastOkMs)).toISOString(),
    historyDays: null,
    tiers: tierStates(s.tiers, model),
    regions: [],
    source: {
      type: "prometheus",
      evaluatedAt: iso(state?.countsAt),
      lastOkAt: iso(state?.lastOkAt),
      lastError: state?.lastError ?? null,
      lastErrorAt: iso(state?.lastErrorAt),
      failures: state?.failures ?? 0,
    },
  };
}

/** Longest range the series endpoint serves in one call. */
const MAX_SERIES_RANGE_MS = 400 * DAY_MS;

export async function getSloSeries(deps: {
  db: Db;
  id: string;
  region?: string;
  from?: string | number;
  to?: string | number;
  step?: number;
  nowMs: number;
}): Promise<SloSeriesResponse> {
  const slo = await requireSlo(deps.db, deps.id);
  const region = await resolveRegion(deps.db, deps.region);
  const toRaw = parseInstant(deps.to, "to") ?? deps.nowMs;
  const model = slo.model(toRaw);
  // Default range: the current period, or from the first data when the SLO is younger than its period.
  const first = deps.from === undefined ? await firstDataMs(deps.db, slo.id, region?.id ?? null) : null;
  const fromRaw =
    parseInstant(deps.from, "from") ??
    Math.max(periodAt(model.window, toRaw).startMs, Math.min(first ?? 0, toRaw - HOUR_MS));
  if (fromRaw >= toRaw)
    throw new ValidationError("query field 'from': must be before 'to'", { field: "from" });
  if (toRaw - fromRaw > MAX_SERIES_RANGE_MS)
    throw new ValidationError("query field 'from': range is longer than 400 days", { field: "from" });
  const stepMs = deps.step ?? chooseStepMs(fromRaw, toRaw);
  const fromMs = Math.floor(fromRaw / stepMs) * stepMs;
  const toMs = Math.ceil(toRaw / stepMs) * stepMs;
  // Load from the start of the earliest period touched, so the budget curve is right from its first point, and
  // from the longest tier window before the range, so every window's burn rate is whole from the first point.
  const loadFrom = Math.min(periodAt(model.window, fromMs).startMs, fromMs - maxLookbackMs(model.tiers));
  const series = await loadSliSeries(
    deps.db,
    slo.id,
    region?.id ?? null,
    Math.floor(loadFrom / MINUTE_MS) * MINUTE_MS,
    toMs,
  );
  const points = seriesPoints(model, series, fromMs, toMs, stepMs);
  const periods = [periodAt(model.window, toMs - 1), ...previousPeriods(model.window, toMs - 1, 12)]
    .filter((p) => p.endMs > fromMs)
    .map((p) => ({ start: p.startMs, end: p.endMs }))
    .reverse();
  const deployments = await deps.db.deployment.findMany({
    where: {
      serviceId: slo.row.serviceId,
      at: { lte: new Date(toMs) },
      // a marker in the range, or a maintenance window that started before it and still runs into it
      AND: [
        { OR: [{ at: { gte: new Date(fromMs) } }, { endsAt: { gte: new Date(fromMs) } }] },
        ...(region ? [{ OR: [{ regionId: region.id }, { regionId: null }] }] : []),
      ],
    },
    orderBy: { at: "asc" },
    take: 500,
  });
  const regionSlugs = new Map((await deps.db.region.findMany()).map((r) => [r.id, r.slug]));
  return {
    sloId: slo.id,
    region: region?.slug ?? null,
    from: fromMs,
    to: toMs,
    stepMs,
    objectivePercent: slo.row.objectivePercent,
    points,
    periods,
    thresholds: toThresholds(model),
    deployments: toMarkers(deployments, regionSlugs),
  };
}

/**
 * The tiers of a status: each decision with its tier's windows. evaluateTiers decides the model's tiers in their
 * order, so the i-th decision is the i-th tier's.
 */
function tierStates(
  decisions: {
    tier: string;
    severity: SloStatusResponse["tiers"][number]["severity"];
    factor: number;
    longBurnRate: number | null;
    shortBurnRate: number | null;
    firing: boolean;
  }[],
  model: { tiers: { longWindowMs: number; shortWindowMs: number | null }[] },
) {
  return decisions.map((d, i) => ({
    name: d.tier,
    severity: d.severity,
    factor: d.factor,
    longBurnRate: d.longBurnRate,
    shortBurnRate: d.shortBurnRate,
    ...tierWindows(model.tiers[i]!),
    firing: d.firing,
  }));
}

/** A tier's windows by name: the keys of a series point's burnRates. */
function tierWindows(t: { longWindowMs: number; shortWindowMs: number | null }) {
  return {
    longWindow: windowLabel(t.longWindowMs),
    shortWindow: t.shortWindowMs === null ? null : windowLabel(t.shortWindowMs),
  };
}

/**
 * The tier thresholds drawn on the burn-rate charts: the same tiers that alert (slo-core resolveTiers), each with
 * the windows whose burn rates it is compared with.
 */
export function toThresholds(model: { tiers: AlertTier[] }) {
  return model.tiers.map((t) => ({
    tier: t.name,
    severity: t.severity,
    factor: t.factor,
    ...tierWindows(t),
  }));
}

/** Deployment markers for the graphs. */
export function toMarkers(
  deployments: { at: Date; endsAt: Date | null; version: string; kind: string; regionId: string | null }[],
  regionSlugs: Map<string, string>,
) {
  return deployments.map((d) => ({
    at: d.at.getTime(),
    version: d.version,
    kind: d.kind,
    region: d.regionId ? (regionSlugs.get(d.regionId) ?? null) : null,
    endsAt: d.endsAt?.getTime() ?? null,
  }));
}

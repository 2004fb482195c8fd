import { toMarkers, toThresholds } from "./status";
import { ValidationError, parseEndpoint, type PreviewBody, type PreviewResponse } from "@burnrate/contracts";
import { FilterError, parseFilter } from "@burnrate/ingest/filter";
import { previewSliSeries, toSloModel, type Db, type DenseSeries } from "@burnrate/db";
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  buildPrefixSums,
  chooseStepMs,
  computeStatus,
  historyGuardrail,
  minuteEnd,
  periodAt,
  previousPeriods,
  replayPages,
  seriesPoints,
  sli,
  statusRange,
  windowCounts,
} from "@burnrate/slo-core";

/** The editor previews this much history. */
export const PREVIEW_DAYS = 28;

function sliceFrom(s: DenseSeries, fromMs: number): DenseSeries {
  const a = Math.max(0, Math.min(s.good.length, Math.ceil((fromMs - s.startMs) / MINUTE_MS)));
  return { startMs: s.startMs + a * MINUTE_MS, good: s.good.subarray(a), total: s.total.subarray(a) };
}

/**
 * SLO editor preview: the last 28 days of the proposed SLO computed from the rollups (nothing is written):
 * chart points, the status it would show now, how many pages/tickets its tiers would have sent, and the
 * history guardrail (book §6.6.2). Every number is slo-core's, from the same model the saved SLO gets.
 */
export async function previewSlo(deps: {
  db: Db;
  input: PreviewBody;
  nowMs: number;
}): Promise<PreviewResponse> {
  const { db, input, nowMs } = deps;
  const service = await db.service.findUnique({ where: { slug: input.service } });
  if (!service)
    throw new ValidationError(`body field 'service': service '${input.service}' does not exist`, {
      field: "service",
    });
  if (input.sli.type === "ratio")
    for (const field of ["good", "total"] as const) {
      try {
        parseFilter(input.sli[field]);
      } catch (e) {
        if (!(e instanceof FilterError)) throw e;
        throw new ValidationError(`body field 'sli.${field}': ${e.message}`, {
          field: `sli.${field}`,
          position: e.position,
        });
      }
    }
  let endpointId: string | null = null;
  let endpointKnown = true;
  if (input.endpoint) {
    const e = parseEndpoint(input.endpoint);
    if (!e)
      throw new ValidationError(
        `body field 'endpoint': '${input.endpoint}' is not 'METHOD /route' (e.g. 'GET /cart')`,
        { field: "endpoint" },
      );
    const row = await db.endpoint.findUnique({
      where: { serviceId_method_route: { serviceId: service.id, method: e.method, route: e.route } },
    });
    endpointId = row?.id ?? null;
    endpointKnown = row !== null;
  }
  const model = toSloModel(
    {
      objectivePercent: input.objectivePercent,
      window: input.window,
      budgetingMethod: input.budgetingMethod,
      alerting: input.alerting ?? null,
    },
    nowMs,
  );
  const toRaw = nowMs;
  const fromRaw = toRaw - PREVIEW_DAYS * DAY_MS;
  const stepMs = chooseStepMs(fromRaw, toRaw);
  const fromMs = Math.floor(fromRaw / stepMs) * stepMs;
  const toMs = Math.ceil(toRaw / stepMs) * stepMs;
  const status = statusRange(model, nowMs);
  const loadFrom =
    Math.floor(
      Math.min(periodAt(model.window, fromMs).startMs, fromMs - HOUR_MS, status.fromMs) / MINUTE_MS,
    ) * MINUTE_MS;
  const loadTo = Math.max(toMs, status.toMs);
  const series = endpointKnown
    ? await previewSliSeries(
        db,
        { serviceId: service.id, endpointId, failureStatuses: service.failureStatuses, sli: input.sli },
        loadFrom,
        loadTo,
      )
    : {
        startMs: loadFrom,
        good: new Float64Array((loadTo - loadFrom) / MINUTE_MS),
        total: new Float64Array((loadTo - loadFrom) / MINUTE_MS),
      };
  const points = seriesPoints(model, series, fromMs, toMs, stepMs);
  const st = computeStatus(model, series, nowMs);
  // Replay and daily SLIs over exactly the last 28 days up to the current minute.
  const end = minuteEnd(nowMs);
  const recent = sliceFrom(series, end - PREVIEW_DAYS * DAY_MS);
  // Decided as the worker decides, minute by minute, and never past the current minute (the series runs on to
  // the next step boundary for the charts).
  const replay = replayPages(recent, model.objective, model.tiers, { guard: model.guard, untilMs: end });
  const p = buildPrefixSums(series);
  const dailySlis = Array.from({ length: PREVIEW_DAYS }, (_, k) => {
    const dayEnd = end - (PREVIEW_DAYS - 1 - k) * DAY_MS;
    return { day: dayEnd - DAY_MS, sli: sli(windowCounts(p, dayEnd - DAY_MS, dayEnd)) };
  });
  const guard = historyGuardrail(
    model.objective,
    dailySlis.map((d) => d.sli),
  );
  const periods = [periodAt(model.window, toMs - 1), ...previousPeriods(model.window, toMs - 1, 12)]
    .filter((x) => x.endMs > fromMs)
    .map((x) => ({ start: x.startMs, end: x.endMs }))
    .reverse();
  const deployments = await db.deployment.findMany({
    where: { serviceId: service.id, at: { gte: new Date(fromMs), lte: new Date(toMs) } },
    orderBy: { at: "asc" },
    take: 500,
  });
  const regionSlugs = new Map((await db.region.findMany()).map((r) => [r.id, r.slug]));
  return {
    from: fromMs,
    to: toMs,
    stepMs,
    objectivePercent: input.objectivePercent,
    points,
    periods,
    thresholds: toThresholds(model),
    deployments: toMarkers(deployments, regionSlugs),
    status: {
      period: {
        start: new Date(st.period.startMs).toISOString(),
        end: new Date(st.period.endMs).toISOString(),
      },
      sli: { good: st.counts.good, total: st.counts.total, ratio: st.sli },
      errorBudget: {
        allowed: st.allowed,
        bad: st.bad,
        remainingFraction: st.remaining,
        unit: st.unit,
      },
    },
    replay: {
      pages: replay.pages,
      tickets: replay.tickets,
      firedAt: replay.firstFiredAtMs,
      episodes: replay.episodes.map((e) => ({
        firedAt: e.firedAtMs,
        resolvedAt: e.resolvedAtMs,
        severity: e.severity,
      })),
      events: replay.events.map((e) => ({ at: e.atMs, kind: e.kind })),
    },
    guardrail: { ...guard, daysWithData: dailySlis.filter((d) => d.sli !== null).length },
    dailySlis,
  };
}

import {
  SlaSli,
  SlaWindow,
  type SlaPeriod,
  type SlaStatusResponse,
  type SlaStatusRow,
} from "@burnrate/contracts";
import { loadSlaSeries, toSloModel, type Db, type DenseSeries, type SlaSeriesTarget } from "@burnrate/db";
import { MINUTE_MS, type SloModel, type TimeSpan } from "@burnrate/slo-core";
import { analysePeriod, lastPeriods, type PeriodAnalysis } from "../reports/periods";
import { endpointLabel, loadSlaRow, type SlaRow } from "./sla-model";

const PERCENT = 100;

/** The slo-core model of an SLA objective: occurrences over the SLA's calendar periods. */
export function slaModel(objectivePercent: number, window: SlaWindow, nowMs: number): SloModel {
  return toSloModel({ objectivePercent, window, budgetingMethod: "occurrences", alerting: null }, nowMs);
}

/** A readable name for an endpoint-level SLA without one: "5 s for 96% of calls". */
export function childName(c: { name: string | null; objectivePercent: number; sli: SlaSli }): string {
  if (c.name) return c.name;
  return c.sli.type === "latency"
    ? `${c.sli.thresholdMs / 1000} s for ${c.objectivePercent}% of calls`
    : `${c.objectivePercent}% of calls available`;
}

async function seriesOver(db: Db, target: SlaSeriesTarget, periods: TimeSpan[], nowMs: number) {
  const from = Math.floor(Math.min(...periods.map((p) => p.startMs)) / MINUTE_MS) * MINUTE_MS;
  const to = Math.ceil(Math.min(nowMs, Math.max(...periods.map((p) => p.endMs))) / MINUTE_MS) * MINUTE_MS;
  return loadSlaSeries(db, target, from, Math.max(from + MINUTE_MS, to));
}

function toPeriod(a: PeriodAnalysis): SlaPeriod {
  return {
    start: a.period.startMs,
    end: a.period.endMs,
    complete: a.complete,
    good: a.counts.good,
    total: a.counts.total,
    remainingAtEnd: a.remainingAtEnd,
    depletionPercent: a.remainingAtEnd === null ? null : PERCENT * (1 - a.remainingAtEnd),
    adherence: a.adherence,
    averageSpeedPercentPerHour: a.averageSpeed,
    maxSpeedPercentPerHour: a.maxSpeed,
    exhausted: a.exhausted,
    exhaustedAt: a.exhaustedAt,
    timeToExhaustionHours: a.timeToExhaustionHours,
    curve: a.curve.map((p) => ({ t: p.tMs, remaining: p.remaining })),
  };
}

function judge(model: SloModel, series: DenseSeries, periods: TimeSpan[], nowMs: number): PeriodAnalysis[] {
  return periods.map((p) => analysePeriod(model, series, p, nowMs));
}

/** The contractual SLA's series and periods (shared by the status and the threshold notices). */
export async function contractualAnalysis(db: Db, row: SlaRow, nowMs: number, n: number) {
  const window = SlaWindow.parse(row.window);
  const model = slaModel(row.objectivePercent, window, nowMs);
  const periods = lastPeriods(model, nowMs, n);
  const series = await seriesOver(
    db,
    { serviceIds: row.services.map((s) => s.serviceId), endpointId: null, sli: SlaSli.parse(row.sli) },
    periods,
    nowMs,
  );
  return { window, model, periods, series, analyses: judge(model, series, periods, nowMs) };
}

/**
 * Budget, depletion and adherence per period (book §11.2.7–11.2.8): the contractual SLA measured on its own over
 * every request of its services, each endpoint-level SLA over its endpoint's, and each tier's objective over
 * the contractual series. A broken contractual period names the endpoint-level SLAs broken in it.
 */
export async function slaStatus(deps: {
  db: Db;
  id: string;
  periods: number;
  nowMs: number;
}): Promise<SlaStatusResponse> {
  const { db, nowMs } = deps;
  const row = await loadSlaRow(db, deps.id);
  const c = await contractualAnalysis(db, row, nowMs, deps.periods);
  const sli = SlaSli.parse(row.sli);
  const children: SlaStatusRow[] = [];
  for (const child of row.children) {
    const childSli = SlaSli.parse(child.sli);
    const model = slaModel(child.objectivePercent, c.window, nowMs);
    const series = await seriesOver(
      db,
      { serviceIds: [child.serviceId], endpointId: child.endpointId, sli: childSli },
      c.periods,
      nowMs,
    );
    children.push({
      id: child.id,
      kind: "endpoint",
      name: childName({ name: child.name, objectivePercent: child.objectivePercent, sli: childSli }),
      service: child.service.slug,
      endpoint: endpointLabel(child.endpoint),
      sli: childSli,
      objectivePercent: child.objectivePercent,
      periods: judge(model, series, c.periods, nowMs).map(toPeriod),
    });
  }
  const contractual: SlaStatusRow = {
    id: row.id,
    kind: "contractual",
    name: row.name,
    service: null,
    endpoint: null,
    sli,
    objectivePercent: row.objectivePercent,
    periods: c.analyses.map((a, i) => ({
      ...toPeriod(a),
      brokenChildren:
        a.adherence === "broken"
          ? children.filter((ch) => ch.periods[i]?.adherence === "broken").map((ch) => ch.id)
          : [],
    })),
  };
  const tiers = ((row.tiers as { name: string; objectivePercent: number }[]) ?? []).map((t) => {
    const model = slaModel(t.objectivePercent, c.window, nowMs);
    return {
      name: t.name,
      objectivePercent: t.objectivePercent,
      periods: judge(model, c.series, c.periods, nowMs).map((a) => ({
        start: a.period.startMs,
        end: a.period.endMs,
        remainingAtEnd: a.remainingAtEnd,
        adherence: a.adherence,
      })),
    };
  });
  return { id: row.id, name: row.name, window: c.window, contractual, children, tiers };
}

/** The status as CSV: one line per SLA (contractual first, then endpoint-level) × period. */
export function slaStatusCsv(s: SlaStatusResponse): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const num = (v: number | null) => (v === null ? "" : String(v));
  const lines = [
    "type,sla,service,endpoint,period_start,period_end,good,total,remaining_at_end,depletion_percent,adherence,average_speed_percent_per_hour,highest_speed_percent_per_hour,premature_exhaustion",
  ];
  for (const r of [s.contractual, ...s.children])
    for (const p of r.periods)
      lines.push(
        [
          r.kind,
          q(r.name),
          q(r.service ?? ""),
          q(r.endpoint ?? ""),
          new Date(p.start).toISOString(),
          new Date(p.end).toISOString(),
          num(p.good),
          num(p.total),
          num(p.remainingAtEnd),
          num(p.depletionPercent),
          p.adherence ?? "",
          num(p.averageSpeedPercentPerHour),
          num(p.maxSpeedPercentPerHour),
          String(p.exhausted),
        ].join(","),
      );
  return `${lines.join("\n")}\n`;
}

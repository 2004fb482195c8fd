import {
  ValidationError,
  type OncallPosition,
  type OncallResponse,
  type OncallPerson,
  type ShiftResponse,
  type ShiftsResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { DAY_MS, holdersAt, listShifts, periodIndexAt, periodStartMs, type Shift } from "@burnrate/slo-core";
import { loadScheduleRow, scheduleModel } from "./schedule-model";

/** The longest range listed at once: a year and a day, enough for any calendar view. */
export const MAX_SHIFT_RANGE_MS = 366 * DAY_MS;
/** Periods the timeline shows by default: the current one and the next three. */
export const DEFAULT_PERIODS = 4;

const unknownPerson: OncallPerson = { email: "", name: "(deleted user)" };

/** Who holds each position of a schedule at `atMs`; null = nobody on call then. */
export async function whoIsOnCall(deps: { db: Db; id: string; atMs: number }): Promise<OncallResponse> {
  const row = await loadScheduleRow(deps.db, deps.id);
  const { model, people } = await scheduleModel(deps.db, row, deps.atMs);
  const holders = holdersAt(model, deps.atMs);
  const positions: OncallResponse["positions"] = {};
  for (const p of model.positions) {
    const h = holders[p];
    positions[p] = h
      ? { ...(people.get(h.member) ?? unknownPerson), source: h.source, layer: h.layer }
      : null;
  }
  return { scheduleId: row.id, at: new Date(deps.atMs).toISOString(), positions };
}

export function shiftResponse(s: Shift, people: Map<string, OncallPerson>): ShiftResponse {
  return {
    ...(people.get(s.member) ?? unknownPerson),
    position: s.position as OncallPosition,
    source: s.source,
    layer: s.layer,
    period: s.period,
    start: new Date(s.startMs).toISOString(),
    end: new Date(s.endMs).toISOString(),
  };
}

/** The end of the fourth period of the first layer, counted from the one holding `fromMs`. */
function defaultEnd(model: Awaited<ReturnType<typeof scheduleModel>>["model"], fromMs: number): number {
  const first = model.layers[0]!;
  const end = periodStartMs(first, Math.max(0, periodIndexAt(first, fromMs)) + DEFAULT_PERIODS);
  return Math.min(end, fromMs + MAX_SHIFT_RANGE_MS);
}

/** Shifts of a schedule in [from, to), with the rotation periods of every layer that meet the range. */
export async function scheduleShifts(deps: {
  db: Db;
  id: string;
  fromMs?: number;
  toMs?: number;
  nowMs: number;
}): Promise<ShiftsResponse> {
  const row = await loadScheduleRow(deps.db, deps.id);
  const fromMs = deps.fromMs ?? deps.nowMs;
  const { model, people } = await scheduleModel(deps.db, row, fromMs);
  const toMs = deps.toMs ?? defaultEnd(model, fromMs);
  if (toMs <= fromMs) throw new ValidationError("query field 'to': must be after 'from'", { field: "to" });
  if (toMs - fromMs > MAX_SHIFT_RANGE_MS)
    throw new ValidationError("query field 'to': a range spans at most 366 days", { field: "to" });
  const periods: ShiftsResponse["periods"] = [];
  model.layers.forEach((r, layer) => {
    for (let k = Math.max(0, periodIndexAt(r, fromMs)); periodStartMs(r, k) < toMs; k++)
      periods.push({
        layer,
        index: k,
        start: new Date(periodStartMs(r, k)).toISOString(),
        end: new Date(periodStartMs(r, k + 1)).toISOString(),
      });
  });
  return {
    scheduleId: row.id,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    periods,
    shifts: listShifts(model, fromMs, toMs).map((s) => shiftResponse(s, people)),
  };
}

import type { OncallPerson, OncallPosition } from "@burnrate/contracts";
import { holdersAt, type Holder } from "@burnrate/slo-core";
import type { Db } from "../client";
import { listScheduleRows, scheduleModel, type ScheduleRow } from "./load-schedule";

/** The schedule that gets an alert at an instant, and who holds each of its positions then. */
export interface RoutedOncall {
  dispatch: "team" | "region";
  row: ScheduleRow;
  positions: OncallPosition[];
  holders: Record<OncallPosition, Holder | null>;
  people: Map<string, OncallPerson>;
}

/**
 * Who gets an alert of a team's service in a region at `atMs` (book Table 7.9): a schedule of the team (its
 * own first, then its domains') that is on duty then — business hours; otherwise a schedule of the region —
 * out of hours; otherwise nobody (null). Among several on duty, the oldest schedule answers.
 */
export async function routeOncall(
  db: Db,
  q: { teamId: string | null; regionKey: string | null; atMs: number },
): Promise<RoutedOncall | null> {
  const byAge = (a: ScheduleRow, b: ScheduleRow) =>
    (a.scope === "team" ? 0 : 1) - (b.scope === "team" ? 0 : 1) ||
    a.createdAt.getTime() - b.createdAt.getTime();
  const tiers: ["team" | "region", ScheduleRow[]][] = [
    ["team", q.teamId ? (await listScheduleRows(db, { teamId: q.teamId })).sort(byAge) : []],
    [
      "region",
      q.regionKey
        ? (await listScheduleRows(db, { regionKey: q.regionKey }))
            .filter((r) => r.scope === "region")
            .sort(byAge)
        : [],
    ],
  ];
  for (const [dispatch, rows] of tiers)
    for (const row of rows) {
      const { model, people } = await scheduleModel(db, row, q.atMs);
      const holders = holdersAt(model, q.atMs);
      if (model.positions.some((p) => holders[p]))
        return { dispatch, row, positions: model.positions, holders, people };
    }
  return null;
}

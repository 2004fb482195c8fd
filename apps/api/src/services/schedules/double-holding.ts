import { ConflictError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { doubleHoldings, type OncallSchedule } from "@burnrate/slo-core";
import { scheduleModel, type ScheduleRow } from "./schedule-model";

/**
 * Refuses (409) an override or a swap that would make one person hold two positions at the same instant
 * (main and backup, say): the chain would page the same person twice and nobody else. The schedule as it is,
 * with the change added, is checked over the change's window.
 */
export async function assertNoDoubleHolding(
  db: Db,
  row: ScheduleRow,
  change: { fromMs: number; toMs: number; email: string },
  add: (model: OncallSchedule) => void,
): Promise<void> {
  const { model } = await scheduleModel(db, row, change.fromMs);
  add(model);
  const [first] = doubleHoldings(model, change.fromMs, change.toMs);
  if (!first) return;
  const [a, b] = first.positions;
  const from = new Date(first.fromMs).toISOString();
  const to = new Date(first.toMs).toISOString();
  throw new ConflictError(
    `conflict: ${change.email} would hold both ${a} and ${b} from ${from} to ${to}; one person holds one position at a time`,
    { positions: [a, b], from, to },
  );
}

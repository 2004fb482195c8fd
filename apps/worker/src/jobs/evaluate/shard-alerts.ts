import type { Alert, Db } from "@burnrate/db";
import { loadSuppressions, type SuppressionSources } from "../../alerts";

/** What the alert decisions of a shard read, once for the whole shard. */
export interface ShardAlerts {
  /** The open (firing or acknowledged) alerts, by SLO. */
  openBySlo: Map<string, Alert[]>;
  suppressions: SuppressionSources;
  /** The detail of each open alert's last event, by alert id. */
  lastDetail: Map<string, unknown>;
}

/** The open alerts of the SLOs, their last events' details, and the suppressions in force for their services. */
export async function loadShardAlerts(
  db: Db,
  nowMs: number,
  sloIds: string[],
  serviceIds: string[],
): Promise<ShardAlerts> {
  const open = await db.alert.findMany({
    where: { sloId: { in: sloIds }, state: { in: ["firing", "acknowledged"] } },
  });
  const suppressions = await loadSuppressions(db, nowMs, serviceIds);
  const lastDetail = new Map(
    open.length === 0
      ? []
      : (
          await db.$queryRawUnsafe<{ alert_id: string; detail: unknown }[]>(
            `SELECT DISTINCT ON (alert_id) alert_id::text, detail FROM alert_events
              WHERE alert_id = ANY($1::uuid[]) ORDER BY alert_id, at DESC`,
            open.map((a) => a.id),
          )
        ).map((r) => [r.alert_id, r.detail]),
  );
  const openBySlo = new Map<string, Alert[]>();
  for (const a of open) openBySlo.set(a.sloId, [...(openBySlo.get(a.sloId) ?? []), a]);
  return { openBySlo, suppressions, lastDetail };
}

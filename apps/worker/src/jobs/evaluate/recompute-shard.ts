import { LATE_DATA_HORIZON_MS } from "@burnrate/ingest";
import { recomputeSli, type Db, type LoadedSlo } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import type { Logger } from "pino";

/** Minutes recomputed from the rollups on every cycle even when ingest marked nothing (covers a lost tick). */
const RECENT_RECOMPUTE_MS = 5 * MINUTE_MS;

/**
 * Recomputes the recent minutes of a shard's SLOs from the rollups in one transaction: the last
 * RECENT_RECOMPUTE_MS, or from the earliest minute ingest touched (`dirty`, by service), at most
 * LATE_DATA_HORIZON_MS back. When the shard's transaction fails, SLO by SLO: one SLO's statement may be what
 * failed (a ratio filter the database refuses). Returns the SLOs whose recompute failed (logged), and the error
 * when every one failed.
 */
export async function recomputeShard(
  deps: { db: Db; log: Logger },
  slos: LoadedSlo[],
  dirty: Record<string, number>,
  toMs: number,
): Promise<{ failed: string[]; error?: unknown }> {
  const recomputeFrom = (serviceId: string) =>
    Math.max(toMs - LATE_DATA_HORIZON_MS, Math.min(dirty[serviceId] ?? Infinity, toMs - RECENT_RECOMPUTE_MS));
  const ranges = slos.map((slo) => ({ target: slo.target, fromMs: recomputeFrom(slo.row.serviceId) }));
  try {
    await recomputeSli(deps.db, ranges, toMs);
    return { failed: [] };
  } catch (error) {
    deps.log.warn({ err: error }, "shard recompute failed; recomputing SLO by SLO");
    const failed: string[] = [];
    for (const r of ranges)
      try {
        await recomputeSli(deps.db, [r], toMs);
      } catch (err) {
        deps.log.error({ err, sloId: r.target.sloId }, "SLI recompute failed");
        failed.push(r.target.sloId);
      }
    return failed.length === ranges.length ? { failed, error } : { failed };
  }
}

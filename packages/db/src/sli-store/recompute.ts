import { bucketsWithin } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import type { Db } from "../client";
import { minuteDetailFromMs } from "../retention";
import { excludedMaintenanceSql, sliAggregateSql } from "../sli-sql";
import type { SliTarget } from "./sli-target";
import { iso } from "./sql-helpers";
import { mergeFresh, writeSli } from "./write-transaction";

const SLI_KIND = { availability: 1, latency: 2, ratio: 3 } as const;

export interface RecomputeRange {
  target: SliTarget;
  /** Recompute minutes from here (clamped to minuteDetailFromMs) to the call's `toMs`. */
  fromMs: number;
}

/**
 * Recomputes the minutes [fromMs, toMs) of many SLOs from the minute rollups, in one transaction and a few
 * statements whatever the number of SLOs (ratio SLIs, whose filters compile to their own SQL, one statement
 * each). Minutes without requests become 0; hours left empty are dropped. Returns the SLOs written (those
 * still existing).
 */
export async function recomputeSli(db: Db, ranges: RecomputeRange[], toMs: number): Promise<Set<string>> {
  const floor = minuteDetailFromMs(toMs);
  const bySlo = new Map<string, RecomputeRange>();
  for (const r of ranges) {
    // Counted by Prometheus (the worker pulls it), not from the rollups.
    if (r.target.sli.type === "prometheus") continue;
    const fromMs = Math.max(floor, Math.floor(r.fromMs / MINUTE_MS) * MINUTE_MS);
    if (fromMs >= toMs) continue;
    const prev = bySlo.get(r.target.sloId);
    if (!prev || fromMs < prev.fromMs) bySlo.set(r.target.sloId, { target: r.target, fromMs });
  }
  if (bySlo.size === 0) return new Set();
  const list = [...bySlo.values()];
  return writeSli(
    db,
    list.map((r) => r.target.sloId),
    async (tx, locked) => {
      const mine = list.filter((r) => locked.has(r.target.sloId));
      await tx.$executeRawUnsafe(
        `INSERT INTO sli_targets (slo_id, service_id, endpoint_id, kind, k, from_ts, to_ts)
         SELECT s, v, e, kind, k, f, $7::timestamptz
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::timestamptz[])
             AS u(s, v, e, kind, k, f)`,
        mine.map((r) => r.target.sloId),
        mine.map((r) => r.target.serviceId),
        mine.map((r) => r.target.endpointId),
        mine.map((r) => SLI_KIND[r.target.sli.type as keyof typeof SLI_KIND]),
        mine.map((r) => (r.target.sli.type === "latency" ? bucketsWithin(r.target.sli.thresholdMs) : 0)),
        mine.map((r) => iso(r.fromMs)),
        iso(toMs),
      );
      await tx.$executeRawUnsafe(`ANALYZE sli_targets`);
      // Availability and latency SLIs of every SLO in one statement: each rollup row's good count first, then
      // the sums per SLO × region × minute. Endpoint SLOs join on (service, endpoint), service SLOs on service.
      if (mine.some((r) => r.target.sli.type !== "ratio")) {
        // Maintenance windows excluded from the budget are rare: when none of them overlaps a target's
        // minutes, the per-row check is left out (it was a sixth of the statement's time at 100,000 SLO × region).
        const [{ excluding } = { excluding: true }] = await tx.$queryRawUnsafe<{ excluding: boolean }[]>(
          `SELECT EXISTS (SELECT 1 FROM sli_targets t JOIN deployments d ON d.service_id = t.service_id
                           WHERE t.kind IN (1, 2) AND d.kind = 'maintenance' AND d.exclude_from_budget
                             AND d.ends_at IS NOT NULL AND d.ends_at > t.from_ts
                             AND date_trunc('minute', d.at) < t.to_ts) AS excluding`,
        );
        const rowGood = `CASE WHEN t.kind = 1
                              THEN CASE WHEN request_rollups.status = ANY(t.failure_statuses) THEN 0
                                        ELSE request_rollups.count END
                              ELSE (SELECT coalesce(sum(x), 0) FROM unnest(request_rollups.latency[1:t.k]) AS x) END`;
        // The service's failure statuses joined once per target (the fence), not once per rollup row.
        const branch = (endpointScoped: boolean) =>
          `SELECT t.slo_id, request_rollups.region_id, request_rollups.minute, ${rowGood} AS g,
                  request_rollups.count AS n
             FROM (SELECT t.*, s.failure_statuses FROM sli_targets t JOIN services s ON s.id = t.service_id
                    WHERE t.kind IN (1, 2) AND t.endpoint_id IS ${endpointScoped ? "NOT NULL" : "NULL"}
                   OFFSET 0) t
             JOIN request_rollups ON request_rollups.service_id = t.service_id
              ${endpointScoped ? "AND request_rollups.endpoint_id = t.endpoint_id" : ""}
              AND request_rollups.minute >= t.from_ts AND request_rollups.minute < t.to_ts
            ${excluding ? `WHERE NOT ${excludedMaintenanceSql("t.service_id")}` : ""}`;
        await tx.$executeRawUnsafe(
          `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
           SELECT slo_id, region_id, minute, sum(g), sum(n)
             FROM (${branch(true)} UNION ALL ${branch(false)}) AS x
            GROUP BY 1, 2, 3`,
        );
      }
      for (const r of mine) {
        if (r.target.sli.type !== "ratio") continue;
        const agg = sliAggregateSql(r.target, 6);
        await tx.$executeRawUnsafe(
          `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
           SELECT $1::uuid, region_id, minute, (${agg.good})::bigint, (${agg.total})::bigint
             FROM request_rollups
            WHERE service_id = $2::uuid AND minute >= $3::timestamptz AND minute < $4::timestamptz
              AND ($5::uuid IS NULL OR endpoint_id = $5::uuid)
              AND NOT ${excludedMaintenanceSql("$2::uuid")}
            GROUP BY region_id, minute`,
          r.target.sloId,
          r.target.serviceId,
          iso(r.fromMs),
          iso(toMs),
          r.target.endpointId,
          ...agg.params,
        );
      }
      await mergeFresh(tx);
    },
  );
}

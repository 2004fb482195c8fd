import { bucketsWithin, type SliSpec } from "@burnrate/contracts";
import { ratioSliSql } from "./ratio-sql";

/**
 * Aggregate expressions of an SLI's good and total over rows shaped like `request_rollups` (columns status,
 * count, latency, endpoint_id, region_id), with their bind parameters numbered from `firstParam`.
 * Availability: good = status not in the service's failure set. Latency: good = duration within the threshold
 * (the histogram buckets at or below it, see latency-buckets.ts), total = every request. Ratio: the compiled
 * filters (ratio-sql.ts).
 */
export function sliAggregateSql(
  t: { sli: SliSpec; failureStatuses: number[] },
  firstParam: number,
): { good: string; total: string; params: unknown[] } {
  if (t.sli.type === "ratio") return ratioSliSql(t.sli, firstParam);
  // Counted by Prometheus, not from the request logs: the logs hold none of its events.
  if (t.sli.type === "prometheus") return { good: "0", total: "0", params: [] };
  const total = "coalesce(sum(count), 0)";
  if (t.sli.type === "availability")
    return {
      good: `coalesce(sum(count) FILTER (WHERE NOT (status = ANY($${firstParam}::int[]))), 0)`,
      total,
      params: [t.failureStatuses],
    };
  const k = bucketsWithin(t.sli.thresholdMs);
  return {
    good: k === 0 ? "0" : `coalesce(sum((SELECT sum(x) FROM unnest(latency[1:${k}]) AS x)), 0)`,
    total,
    params: [],
  };
}

/**
 * SQL condition: the `request_rollups` row (its `minute`, or an hourly row aliased so) lies inside a
 * maintenance window of the service marked "exclude from budget" (its region, or every region). `serviceSql`
 * is the expression of the service id.
 */
export function excludedMaintenanceSql(serviceSql: string): string {
  return `EXISTS (SELECT 1 FROM deployments d
            WHERE d.service_id = ${serviceSql} AND d.kind = 'maintenance' AND d.exclude_from_budget
              AND d.ends_at IS NOT NULL AND (d.region_id IS NULL OR d.region_id = request_rollups.region_id)
              AND request_rollups.minute >= date_trunc('minute', d.at) AND request_rollups.minute < d.ends_at)`;
}

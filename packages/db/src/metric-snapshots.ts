import { sqlRows, sqlTransaction, type Db } from "./client";

/** The region key of the all-regions aggregate (as alerts write it). */
export const ALL_REGIONS_KEY = "*";

/** One SLO × region's numbers at an evaluation (see the SloMetricSnapshot model). */
export interface MetricSnapshot {
  sloId: string;
  /** A region slug, or ALL_REGIONS_KEY. */
  regionKey: string;
  evaluatedAtMs: number;
  objective: number;
  good: number;
  bad: number;
  sli: number | null;
  remaining: number;
  windows: { window: string; sli: number | null; burnRate: number | null }[];
  pageFiring: boolean;
  ticketFiring: boolean;
}

/** A snapshot with the labels a scrape shows: the SLO's current name, service, team and SLI type. */
export interface LabelledMetricSnapshot extends MetricSnapshot {
  slo: string;
  service: string;
  team: string;
  sliType: string;
}

const UPSERT_SQL = `
  INSERT INTO slo_metric_snapshots AS m
    (slo_id, region_key, evaluated_at, objective, good, bad, sli, remaining, windows, page_firing, ticket_firing)
  SELECT q.* FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[],
                         $7::float8[], $8::float8[], $9::jsonb[], $10::bool[], $11::bool[])
           AS q(slo_id, region_key, evaluated_at, objective, good, bad, sli, remaining, windows, page_firing,
                ticket_firing)
   WHERE EXISTS (SELECT 1 FROM slos s WHERE s.id = q.slo_id OFFSET 0)
  ON CONFLICT (slo_id, region_key) DO UPDATE
     SET evaluated_at = EXCLUDED.evaluated_at, objective = EXCLUDED.objective, good = EXCLUDED.good,
         bad = EXCLUDED.bad, sli = EXCLUDED.sli, remaining = EXCLUDED.remaining, windows = EXCLUDED.windows,
         page_firing = EXCLUDED.page_firing, ticket_firing = EXCLUDED.ticket_firing`;

/** Rows of the SLOs written whose region is not among the new rows (a region that no longer has data). */
const DELETE_GONE_SQL = `
  DELETE FROM slo_metric_snapshots m
   WHERE m.slo_id = ANY($1::uuid[])
     AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[]) AS k(slo_id, region_key)
                      WHERE k.slo_id = m.slo_id AND k.region_key = m.region_key)`;

/**
 * Replaces the snapshots of `sloIds` with `rows`, in one transaction of two statements whatever their number:
 * a reader sees the previous evaluation's rows or this one's, never a mix, and a region that no longer has
 * data loses its row. An SLO deleted meanwhile is skipped. The rows are updated in place (the key never
 * changes, and the table leaves room on its pages: most updates are HOT, with no new index entry), not deleted
 * and inserted again: at 100,000 SLO × region that was 150,000 dead rows and index entries a cycle.
 */
export async function replaceMetricSnapshots(
  db: Db,
  sloIds: string[],
  rows: MetricSnapshot[],
): Promise<void> {
  if (sloIds.length === 0) return;
  await sqlTransaction(db, async (q) => {
    // A shard's rows are a few of the table's (rewritten every cycle, so its statistics lag behind): never a
    // scan of the whole table (it was, once per shard). The EXISTS above is one key probe per row (OFFSET 0
    // keeps it a probe, not a hash of every SLO).
    await q(`SET LOCAL enable_seqscan = off`);
    await q(`SET LOCAL jit = off`);
    await q(DELETE_GONE_SQL, [sloIds, rows.map((r) => r.sloId), rows.map((r) => r.regionKey)]);
    if (rows.length === 0) return;
    await q(UPSERT_SQL, [
      rows.map((r) => r.sloId),
      rows.map((r) => r.regionKey),
      rows.map((r) => new Date(r.evaluatedAtMs).toISOString()),
      rows.map((r) => r.objective),
      rows.map((r) => r.good),
      rows.map((r) => r.bad),
      rows.map((r) => r.sli),
      rows.map((r) => r.remaining),
      rows.map((r) => JSON.stringify(r.windows)),
      rows.map((r) => r.pageFiring),
      rows.map((r) => r.ticketFiring),
    ]);
  });
}

/** Every snapshot with its labels, in one query, ordered by SLO id and region. */
export async function readMetricSnapshots(db: Db): Promise<LabelledMetricSnapshot[]> {
  const rows = await sqlRows<{
    slo_id: string;
    region_key: string;
    evaluated_ms: number;
    objective: number;
    good: number;
    bad: number;
    sli: number | null;
    remaining: number;
    windows: MetricSnapshot["windows"];
    page_firing: boolean;
    ticket_firing: boolean;
    slo: string;
    service: string;
    team: string;
    sli_type: string | null;
  }>(
    db,
    `SELECT m.slo_id::text AS slo_id, m.region_key, (extract(epoch FROM m.evaluated_at) * 1000)::float8 AS evaluated_ms,
            m.objective, m.good, m.bad, m.sli, m.remaining, m.windows, m.page_firing, m.ticket_firing,
            s.name AS slo, v.slug AS service, t.slug AS team, s.sli ->> 'type' AS sli_type
       FROM slo_metric_snapshots m
       JOIN slos s ON s.id = m.slo_id
       JOIN services v ON v.id = s.service_id
       JOIN teams t ON t.id = v.team_id
      ORDER BY m.slo_id, m.region_key`,
  );
  return rows.map((r) => ({
    sloId: r.slo_id,
    regionKey: r.region_key,
    evaluatedAtMs: Number(r.evaluated_ms),
    objective: Number(r.objective),
    good: Number(r.good),
    bad: Number(r.bad),
    sli: r.sli === null ? null : Number(r.sli),
    remaining: Number(r.remaining),
    windows: r.windows,
    pageFiring: r.page_firing,
    ticketFiring: r.ticket_firing,
    slo: r.slo,
    service: r.service,
    team: r.team,
    sliType: r.sli_type ?? "",
  }));
}

/**
 * A value that changes whenever what readMetricSnapshots returns may have changed: a snapshot row written or
 * removed (each write is a new row version: its xmin), or an SLO, service or team (whose names and slugs are
 * the labels) created, edited or deleted. One scan of the snapshot rows' headers, no JSON read.
 */
export async function metricSnapshotStamp(db: Db): Promise<string> {
  const [r] = await sqlRows<{ stamp: string }>(
    db,
    `SELECT concat_ws('|',
              (SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM slo_metric_snapshots),
              (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM slos),
              (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM services),
              (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM teams)) AS stamp`,
  );
  return r?.stamp ?? "";
}

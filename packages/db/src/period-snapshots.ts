import type { PeriodAnalysis } from "@burnrate/slo-core";
import { sqlRows, sqlTransaction, type Db } from "./client";
import { iso } from "./sli-store/sql-helpers";

/** A period's analysis as a snapshot keeps it: everything but the budget curve (which only charts draw). */
export type SnapshotAnalysis = Omit<PeriodAnalysis, "curve">;

/** The snapshot of one SLO × region: the SLO version and instant it was made at, and its periods' bounds. */
export interface SnapshotHeader {
  version: number;
  computedAtMs: number;
  /** the store's first data of the SLO × region it counted from (null: none) */
  firstMs: number | null;
  periods: { startMs: number; endMs: number; complete: boolean; computedAtMs: number }[];
}

/** What one run writes for one region of an SLO: the analyses it made, and the complete periods it keeps as they are. */
export interface RegionSnapshot {
  regionId: string;
  firstMs: number | null;
  written: SnapshotAnalysis[];
  /** complete periods already stored for this version whose inputs did not change: left untouched */
  kept: { startMs: number; endMs: number }[];
}

const periodKey = (startMs: number, endMs: number) => `${startMs}:${endMs}`;

/**
 * The snapshots of many SLOs (sloId -> regionId -> header), in two queries; with `periods: false`, in one, and
 * without the bounds of their periods (a reader asks snapshotAnalyses for the periods it needs).
 */
export async function snapshotHeaders(
  db: Db,
  sloIds: string[],
  opts: { periods?: boolean } = {},
): Promise<Map<string, Map<string, SnapshotHeader>>> {
  const out = new Map<string, Map<string, SnapshotHeader>>();
  if (sloIds.length === 0) return out;
  const heads = await sqlRows<{ s: string; r: string; v: number; t: number; f: number | null }>(
    db,
    `SELECT slo_id::text AS s, region_id::text AS r, version AS v,
            (extract(epoch FROM computed_at) * 1000)::float8 AS t, (extract(epoch FROM first_at) * 1000)::float8 AS f
       FROM slo_snapshots WHERE slo_id = ANY($1::uuid[])`,
    [sloIds],
  );
  for (const h of heads) {
    const m = out.get(h.s) ?? new Map<string, SnapshotHeader>();
    m.set(h.r, {
      version: Number(h.v),
      computedAtMs: Number(h.t),
      firstMs: h.f === null ? null : Number(h.f),
      periods: [],
    });
    out.set(h.s, m);
  }
  if (opts.periods === false) return out;
  const periods = await sqlRows<{
    s: string;
    r: string;
    v: number;
    a: number;
    b: number;
    c: boolean;
    t: number;
  }>(
    db,
    `SELECT p.slo_id::text AS s, p.region_id::text AS r, p.version AS v,
            (extract(epoch FROM p.period_start) * 1000)::float8 AS a,
            (extract(epoch FROM p.period_end) * 1000)::float8 AS b, p.complete AS c,
            (extract(epoch FROM p.computed_at) * 1000)::float8 AS t
       FROM slo_period_snapshots p WHERE p.slo_id = ANY($1::uuid[])`,
    [sloIds],
  );
  for (const p of periods) {
    const h = out.get(p.s)?.get(p.r);
    if (h && h.version === Number(p.v))
      h.periods.push({ startMs: Number(p.a), endMs: Number(p.b), complete: p.c, computedAtMs: Number(p.t) });
  }
  return out;
}

/** The stored analyses of the given SLO × version × region × periods, by `sloId|regionId|start:end`; absent ones are missing. */
export async function snapshotAnalyses(
  db: Db,
  keys: { sloId: string; version: number; regionId: string; startMs: number; endMs: number }[],
): Promise<Map<string, SnapshotAnalysis>> {
  const out = new Map<string, SnapshotAnalysis>();
  if (keys.length === 0) return out;
  const rows = await sqlRows<{ s: string; r: string; a: number; b: number; j: string }>(
    db,
    `SELECT p.slo_id::text AS s, p.region_id::text AS r, (extract(epoch FROM p.period_start) * 1000)::float8 AS a,
            (extract(epoch FROM p.period_end) * 1000)::float8 AS b, p.analysis::text AS j
       FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS k(s, v, r, a, b)
       JOIN slo_period_snapshots p
         ON p.slo_id = k.s AND p.version = k.v AND p.region_id = k.r AND p.period_start = k.a AND p.period_end = k.b`,
    [
      keys.map((k) => k.sloId),
      keys.map((k) => k.version),
      keys.map((k) => k.regionId),
      keys.map((k) => iso(k.startMs)),
      keys.map((k) => iso(k.endMs)),
    ],
  );
  for (const r of rows)
    out.set(snapshotKey(r.s, r.r, Number(r.a), Number(r.b)), JSON.parse(r.j) as SnapshotAnalysis);
  return out;
}

/** The key of one stored analysis in snapshotAnalyses' answer. */
export const snapshotKey = (sloId: string, regionId: string, startMs: number, endMs: number): string =>
  `${sloId}|${regionId}|${periodKey(startMs, endMs)}`;

/**
 * Replaces the snapshot of one SLO (every region) in one transaction: readers see the previous snapshot or this
 * one, never part of each. Regions not named lose their snapshot; in a named region, the periods neither written
 * nor kept (another version, bounds that moved) are removed.
 */
export async function writeSloSnapshot(
  db: Db,
  s: { sloId: string; version: number; computedAtMs: number; regions: RegionSnapshot[] },
): Promise<void> {
  await sqlTransaction(db, async (q) => {
    // One writer per SLO at a time (a scheduled run and one after a backfill): the second waits for the first.
    await q(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))::text AS l`, [
      `slo-snapshot:${s.sloId}`,
    ]);
    await q(`DELETE FROM slo_snapshots WHERE slo_id = $1::uuid AND NOT (region_id = ANY($2::uuid[]))`, [
      s.sloId,
      s.regions.map((r) => r.regionId),
    ]);
    for (const r of s.regions) {
      await q(
        `INSERT INTO slo_snapshots (slo_id, region_id, version, computed_at, first_at)
         VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz, $5::timestamptz)
         ON CONFLICT (slo_id, region_id) DO UPDATE
           SET version = excluded.version, computed_at = excluded.computed_at, first_at = excluded.first_at`,
        [s.sloId, r.regionId, s.version, iso(s.computedAtMs), r.firstMs === null ? null : iso(r.firstMs)],
      );
      const keep = [
        ...r.kept,
        ...r.written.map((a) => ({ startMs: a.period.startMs, endMs: a.period.endMs })),
      ];
      await q(
        `DELETE FROM slo_period_snapshots p
          WHERE p.slo_id = $1::uuid AND p.region_id = $2::uuid
            AND (p.version <> $3 OR NOT EXISTS (
                  SELECT 1 FROM unnest($4::timestamptz[], $5::timestamptz[]) AS k(a, b)
                   WHERE k.a = p.period_start AND k.b = p.period_end))`,
        [s.sloId, r.regionId, s.version, keep.map((k) => iso(k.startMs)), keep.map((k) => iso(k.endMs))],
      );
      if (r.written.length === 0) continue;
      await q(
        `INSERT INTO slo_period_snapshots
                (slo_id, version, region_id, period_start, period_end, complete, computed_at, analysis)
         SELECT $1::uuid, $2, $3::uuid, k.a, k.b, k.c, $8::timestamptz, k.j::jsonb
           FROM unnest($4::timestamptz[], $5::timestamptz[], $6::boolean[], $7::text[]) AS k(a, b, c, j)
         ON CONFLICT (slo_id, version, region_id, period_start, period_end) DO UPDATE
           SET complete = excluded.complete, computed_at = excluded.computed_at, analysis = excluded.analysis`,
        [
          s.sloId,
          s.version,
          r.regionId,
          r.written.map((a) => iso(a.period.startMs)),
          r.written.map((a) => iso(a.period.endMs)),
          r.written.map((a) => a.complete),
          r.written.map((a) => JSON.stringify(a)),
          iso(s.computedAtMs),
        ],
      );
    }
  });
}

/** Forgets an SLO's snapshot (its history was recomputed: no stored period can be trusted until the next one). */
export async function dropSloSnapshot(db: Db, sloId: string): Promise<void> {
  await sqlRows(db, `DELETE FROM slo_snapshots WHERE slo_id = $1::uuid`, [sloId]);
}

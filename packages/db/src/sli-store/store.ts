import { HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import type { Db } from "../client";
import { iso, type Tx } from "./sql-helpers";
import { mergeFresh, writeSli } from "./write-transaction";

export interface SliMinuteRow {
  sloId: string;
  regionId: string;
  minuteMs: number;
  good: number;
  total: number;
}

/**
 * Stores given per-minute counts (other minutes untouched), with running totals and regions, exactly as the
 * evaluator's recompute would. For seeding history (demo, tests, benchmarks) without raw requests.
 */
export async function storeSliMinutes(db: Db, rows: SliMinuteRow[]): Promise<void> {
  if (rows.length === 0) return;
  await writeSli(db, [...new Set(rows.map((r) => r.sloId))], async (tx, locked) => {
    const mine = rows.filter((r) => locked.has(r.sloId));
    await storeTargets(tx, locked);
    for (let i = 0; i < mine.length; i += 50_000) {
      const part = mine.slice(i, i + 50_000);
      await tx.$executeRawUnsafe(
        `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bigint[], $5::bigint[])`,
        part.map((r) => r.sloId),
        part.map((r) => r.regionId),
        part.map((r) => iso(Math.floor(r.minuteMs / MINUTE_MS) * MINUTE_MS)),
        part.map((r) => r.good),
        part.map((r) => r.total),
      );
    }
    await mergeFresh(tx);
  });
}

/**
 * storeSliMinutes for minutes generated in SQL: `select` yields (slo_id, region_id, minute, good, total) rows
 * for SLOs among `sloIds`, with `params` as its bind parameters. For large seeded histories.
 */
export async function storeSliMinutesFrom(
  db: Db,
  sloIds: string[],
  select: string,
  params: unknown[] = [],
): Promise<void> {
  await writeSli(db, sloIds, async (tx, locked) => {
    await storeTargets(tx, locked);
    await tx.$executeRawUnsafe(
      `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
       SELECT g.* FROM (${select}) AS g(slo_id, region_id, minute, good, total)
        WHERE g.slo_id IN (SELECT slo_id FROM sli_targets)`,
      ...params,
    );
    await mergeFresh(tx);
  });
}

/** Targets of a store: every given minute is set, nothing else cleared. */
async function storeTargets(tx: Tx, ids: Set<string>): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO sli_targets (slo_id, from_ts, to_ts) SELECT s, 'epoch', 'epoch' FROM unnest($1::uuid[]) s`,
    [...ids],
  );
}

/**
 * Stores given hours at hour resolution (their counts stand for their first minute), replacing what those hours
 * held, with running totals and regions. For seeding long history (demo, tests) without raw requests.
 */
export async function storeSliHours(
  db: Db,
  rows: { sloId: string; regionId: string; hourMs: number; good: number; total: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await writeSli(db, [...new Set(rows.map((r) => r.sloId))], async (tx, locked) => {
    const mine = rows.filter((r) => locked.has(r.sloId));
    for (let i = 0; i < mine.length; i += 50_000) {
      const part = mine.slice(i, i + 50_000);
      await tx.$executeRawUnsafe(
        `WITH ins AS (
           INSERT INTO sli_hours AS s (slo_id, region_id, hour, good, total)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bigint[], $5::bigint[])
           ON CONFLICT (slo_id, region_id, hour) DO UPDATE
              SET good = EXCLUDED.good, total = EXCLUDED.total, minute_good = NULL, minute_total = NULL
           RETURNING s.slo_id, s.region_id, s.hour)
         INSERT INTO sli_changed (slo_id, region_id, h0, exact) SELECT slo_id, region_id, min(hour), true FROM ins GROUP BY 1, 2`,
        part.map((r) => r.sloId),
        part.map((r) => r.regionId),
        part.map((r) => iso(Math.floor(r.hourMs / HOUR_MS) * HOUR_MS)),
        part.map((r) => r.good),
        part.map((r) => r.total),
      );
    }
  });
}

/** Statements deleting every SLI row of the given SLOs, for a caller's batch transaction. */
export function deleteSliStatements(db: Db, sloIds: string[]) {
  return [
    db.$executeRawUnsafe(`DELETE FROM sli_hours WHERE slo_id = ANY($1::uuid[])`, sloIds),
    db.$executeRawUnsafe(`DELETE FROM slo_regions WHERE slo_id = ANY($1::uuid[])`, sloIds),
  ];
}

import { MINUTE_MS } from "@burnrate/slo-core";
import { sqlRows, type Db } from "../client";
import { iso } from "./sql-helpers";

/** Per-minute good/total from `startMs`, one element per minute. */
export interface DenseSeries {
  startMs: number;
  good: Float64Array;
  total: Float64Array;
}

/** A zero series with one slot per minute of [fromMs, toMs). */
export function emptyDenseSeries(fromMs: number, toMs: number): DenseSeries {
  const n = Math.max(0, Math.ceil((toMs - fromMs) / MINUTE_MS));
  return { startMs: fromMs, good: new Float64Array(n), total: new Float64Array(n) };
}

/**
 * Per-minute good/total of one SLO over [fromMs, toMs) (minute-aligned), one region or all (regionId null).
 * Hours kept at minute resolution give their minutes; a folded hour's counts stand at its first minute (sums
 * over windows that start on an hour are exact; a window that starts inside a folded hour counts the hour
 * when its first minute is inside the window).
 */
export async function loadSliSeries(
  db: Db,
  sloId: string,
  regionId: string | null,
  fromMs: number,
  toMs: number,
): Promise<DenseSeries> {
  const { good, total } = emptyDenseSeries(fromMs, toMs);
  const n = good.length;
  if (n === 0) return { startMs: fromMs, good, total };
  // Plain pg, not Prisma's raw query: a report reads hundreds of thousands of these rows, and Prisma's conversion
  // of each was most of the time.
  const rows = await sqlRows<{ t: number; g: number; n: number; mg: number[] | null; mt: number[] | null }>(
    db,
    `SELECT (extract(epoch FROM h.hour) * 1000)::float8 AS t, h.good::float8 AS g, h.total::float8 AS n,
            h.minute_good AS mg, h.minute_total AS mt
       FROM slo_regions r JOIN sli_hours h ON h.slo_id = r.slo_id AND h.region_id = r.region_id
      WHERE r.slo_id = $1::uuid AND ($2::uuid IS NULL OR r.region_id = $2::uuid)
        AND h.hour > $3::timestamptz - interval '1 hour' AND h.hour < $4::timestamptz`,
    [sloId, regionId, iso(fromMs), iso(toMs)],
  );
  for (const r of rows) {
    const base = Math.round((Number(r.t) - fromMs) / MINUTE_MS);
    if (r.mg && r.mt) {
      for (let m = 0; m < 60; m++) {
        const i = base + m;
        if (i < 0 || i >= n) continue;
        good[i] = good[i]! + (r.mg[m] ?? 0);
        total[i] = total[i]! + (r.mt[m] ?? 0);
      }
    } else if (base >= 0 && base < n) {
      good[base] = good[base]! + Number(r.g);
      total[base] = total[base]! + Number(r.n);
    }
  }
  return { startMs: fromMs, good, total };
}

import type { Db } from "../client";

export interface SloRegionData {
  id: string;
  slug: string;
  firstMs: number;
  lastMs: number;
}

/** Regions where an SLO has data, with the first and last minute of data in each, by slug. */
export async function sloRegions(db: Db, sloId: string): Promise<SloRegionData[]> {
  return (await regionsOfSlos(db, [sloId])).get(sloId) ?? [];
}

/** sloRegions of many SLOs in one query. */
export async function regionsOfSlos(db: Db, sloIds: string[]): Promise<Map<string, SloRegionData[]>> {
  const out = new Map<string, SloRegionData[]>();
  if (sloIds.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ slo_id: string; id: string; slug: string; f: number; l: number }[]>(
    `SELECT s.slo_id::text, r.id::text, r.slug, (extract(epoch FROM s.first_at) * 1000)::float8 AS f,
            (extract(epoch FROM s.last_at) * 1000)::float8 AS l
       FROM slo_regions s JOIN regions r ON r.id = s.region_id
      WHERE s.slo_id = ANY($1::uuid[]) ORDER BY s.slo_id, r.slug`,
    sloIds,
  );
  for (const r of rows) {
    const list = out.get(r.slo_id) ?? [];
    list.push({ id: r.id, slug: r.slug, firstMs: Number(r.f), lastMs: Number(r.l) });
    out.set(r.slo_id, list);
  }
  return out;
}

/** The first minute with data of an SLO (one region or all), or null. */
export async function firstDataMs(db: Db, sloId: string, regionId: string | null): Promise<number | null> {
  const regions = (await sloRegions(db, sloId)).filter((r) => !regionId || r.id === regionId);
  return regions.length ? Math.min(...regions.map((r) => r.firstMs)) : null;
}

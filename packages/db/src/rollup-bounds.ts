import type { Db } from "./client";

const msOrNull = (t: number | null | undefined): number | null =>
  t === null || t === undefined ? null : Number(t);

/** The oldest instant a service has rollups for (minute or hourly), or null when it has none. */
export async function oldestRollupMs(db: Db, serviceId: string): Promise<number | null> {
  const [first] = await db.$queryRawUnsafe<{ t: number | null }[]>(
    `SELECT (extract(epoch FROM least(
              (SELECT min(hour) FROM request_rollups_hourly WHERE service_id = $1::uuid),
              (SELECT min(minute) FROM request_rollups WHERE service_id = $1::uuid))) * 1000)::float8 AS t`,
    serviceId,
  );
  return msOrNull(first?.t);
}

/** The last hour of a service that retention folded into `request_rollups_hourly`, or null when none is. */
export async function lastFoldedHourMs(db: Db, serviceId: string): Promise<number | null> {
  const [last] = await db.$queryRawUnsafe<{ t: number | null }[]>(
    `SELECT (extract(epoch FROM max(hour)) * 1000)::float8 AS t FROM request_rollups_hourly WHERE service_id = $1::uuid`,
    serviceId,
  );
  return msOrNull(last?.t);
}

import { LATENCY_BUCKETS } from "@burnrate/contracts";
import {
  createDb,
  ensureRollupPartitions,
  foldOldRollups,
  HOUR_RETENTION_MS,
  MINUTE_RETENTION_MS,
} from "@burnrate/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, ndjson, startStack, type Stack } from "./harness";

const dayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, "");

/**
 * Request rollups are partitioned by time (request_rollups by UTC day, request_rollups_hourly by UTC month):
 * partitions exist before rows arrive, retention folds old minutes into hours and drops whole day partitions,
 * and no count is lost or counted twice.
 */
describe("time-partitioned request rollups", () => {
  let stack: Stack;
  let ids: { s: string; e: string; r: string };
  const now = Date.now();

  const partitions = (table: string) =>
    stack.db.$queryRawUnsafe<{ part: string; lo: Date; hi: Date }[]>(
      `SELECT part, lo, hi FROM rollup_partitions($1::text)`,
      table,
    );
  const countIn = async (relation: string) =>
    (await stack.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${relation}"`))[0]!.n;
  /** Every count and histogram bucket, per hour, over both resolutions. */
  const totalsByHour = () =>
    stack.db.$queryRawUnsafe<{ h: Date; n: number; b: number[] }[]>(
      `SELECT h, sum(count)::int AS n,
              ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `sum(latency[${i + 1}])::int`).join(", ")}] AS b
         FROM (SELECT date_trunc('hour', minute, 'UTC') AS h, count, latency FROM request_rollups
               UNION ALL SELECT hour, count, latency FROM request_rollups_hourly) x
        GROUP BY h ORDER BY h`,
    );
  /** Rows insertOld(startMs, minutes) writes with minute in [fromMs, toMs). */
  const rowsBetween = (startMs: number, minutes: number, fromMs: number, toMs: number) => {
    let n = 0;
    for (let m = 0; m < minutes; m++) {
      const t = startMs + m * MINUTE_MS;
      if (t >= fromMs && t < toMs) n += m % 3 ? 2 : 1;
    }
    return n;
  };
  /** Minutes [start, start + n) of old data, written with SQL (ingest refuses anything older than 7 days). */
  const insertOld = async (startMs: number, minutes: number, table = "request_rollups") => {
    await stack.db.$executeRawUnsafe(
      `INSERT INTO ${table} (service_id, endpoint_id, region_id, minute, status, count, latency)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::timestamptz + m * interval '1 minute', st, c,
              array_fill(0, ARRAY[m % $5::int]) || ARRAY[c] || array_fill(0, ARRAY[$5::int - 1 - m % $5::int])
         FROM generate_series(0, $6::int - 1) AS m, (VALUES (200), (503)) AS v(st),
              LATERAL (SELECT CASE WHEN st = 200 THEN 10 + m % 7 ELSE m % 3 END AS c) AS cc
        WHERE c > 0`,
      ids.s,
      ids.e,
      ids.r,
      new Date(startMs).toISOString(),
      LATENCY_BUCKETS,
      minutes,
    );
  };

  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson([
        {
          ts: now - MINUTE_MS,
          service: "cart",
          endpoint: "GET /cart",
          region: "prod-eu",
          status: 200,
          durationMs: 5,
        },
      ]),
    });
    expect(JSON.parse(r.body)).toMatchObject({ accepted: 1 });
    const [found] = await stack.db.$queryRawUnsafe<{ s: string; e: string; r: string }[]>(
      `SELECT s.id AS s, e.id AS e, r.id AS r FROM services s JOIN endpoints e ON e.service_id = s.id, regions r
        WHERE s.slug = 'cart' AND r.slug = 'prod-eu'`,
    );
    ids = found!;
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  it("a fresh database has the partitions ingest can write into, and empty DEFAULT partitions", async () => {
    const days = (await partitions("request_rollups")).map((p) => p.part);
    for (let d = dayOf(now) - 7 * DAY_MS; d <= dayOf(now) + 2 * DAY_MS; d += DAY_MS)
      expect(days).toContain(`request_rollups_p${ymd(d)}`);
    const months = (await partitions("request_rollups_hourly")).map((p) => p.part);
    expect(months).toContain(`request_rollups_hourly_p${ymd(now).slice(0, 6)}`);
    expect(await countIn("request_rollups_default")).toBe(0);
    expect(await countIn("request_rollups_hourly_default")).toBe(0);
    // The ingested row is in today's partition.
    const [row] = await stack.db.$queryRawUnsafe<{ t: string }[]>(
      `SELECT tableoid::regclass::text AS t FROM request_rollups`,
    );
    expect(row!.t).toBe(`request_rollups_p${ymd(now - MINUTE_MS)}`);
  });

  it("creates missing partitions on demand, once, and moves rows that waited in DEFAULT", async () => {
    const day = dayOf(now) + 20 * DAY_MS;
    // A row written by hand before its partition existed waits in DEFAULT…
    await stack.db.$executeRawUnsafe(
      `INSERT INTO request_rollups (service_id, endpoint_id, region_id, minute, status, count, latency)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::timestamptz, 200, 7, array_fill(0, ARRAY[${LATENCY_BUCKETS}]))`,
      ids.s,
      ids.e,
      ids.r,
      new Date(day + 5 * HOUR_MS).toISOString(),
    );
    expect(await countIn("request_rollups_default")).toBe(1);
    // …and moves when the partition is made. Two processes asking at once make it once.
    const other = createDb({ databaseUrl: stack.databaseUrl, poolSize: 2 });
    try {
      await Promise.all([
        ensureRollupPartitions(stack.db, "request_rollups", day, day + DAY_MS - 1),
        ensureRollupPartitions(other, "request_rollups", day, day + DAY_MS - 1),
      ]);
    } finally {
      await other.$disconnect();
    }
    expect(
      (await partitions("request_rollups")).filter((p) => p.part === `request_rollups_p${ymd(day)}`),
    ).toHaveLength(1);
    expect(await countIn("request_rollups_default")).toBe(0);
    expect(await countIn(`request_rollups_p${ymd(day)}`)).toBe(1);
    await stack.db.$executeRawUnsafe(
      `DELETE FROM request_rollups WHERE minute >= $1::timestamptz`,
      new Date(day).toISOString(),
    );
  });

  it("late data into an old day that is still kept goes to that day's partition", async () => {
    const ts = now - 7 * DAY_MS + 10 * MINUTE_MS; // just inside the 7-day late-data horizon
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson([
        { ts, service: "cart", endpoint: "GET /cart", region: "prod-eu", status: 200, durationMs: 5 },
        { ts, service: "cart", endpoint: "GET /cart", region: "prod-eu", status: 200, durationMs: 7 },
      ]),
    });
    expect(JSON.parse(r.body)).toMatchObject({ accepted: 2, rejected: 0 });
    const rows = await stack.db.$queryRawUnsafe<{ t: string; count: number }[]>(
      `SELECT tableoid::regclass::text AS t, count FROM request_rollups WHERE minute = $1::timestamptz`,
      new Date(Math.floor(ts / MINUTE_MS) * MINUTE_MS).toISOString(),
    );
    expect(rows).toEqual([{ t: `request_rollups_p${ymd(ts)}`, count: 2 }]);
  });

  it("retention folds old minutes into hours, drops whole old days, and keeps every count", async () => {
    const cutoff = Math.floor((now - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
    // Old data: the 3 days before the cutoff's day (all of them), and the cutoff's own day up to 2 h past the
    // cutoff starting at a half hour (a partially folded day and a partial hour).
    const straddling = dayOf(cutoff);
    const oldDays = [3, 2, 1].map((k) => straddling - k * DAY_MS);
    for (const d of oldDays) {
      await ensureRollupPartitions(stack.db, "request_rollups", d, d);
      await insertOld(d + 6 * HOUR_MS + 30 * MINUTE_MS, 180); // 3 h of minutes from 06:30
    }
    const straddleStart = Math.max(straddling, cutoff - 3 * HOUR_MS) + 30 * MINUTE_MS;
    await ensureRollupPartitions(stack.db, "request_rollups", straddleStart, cutoff + 2 * HOUR_MS);
    const straddleMinutes = Math.round((cutoff + 2 * HOUR_MS - straddleStart) / MINUTE_MS);
    await insertOld(straddleStart, straddleMinutes);
    // Hours older than the hourly retention, in their month's partition.
    const ancient = now - HOUR_RETENTION_MS - 45 * DAY_MS;
    await ensureRollupPartitions(stack.db, "request_rollups_hourly", ancient, ancient);
    await stack.db.$executeRawUnsafe(
      `INSERT INTO request_rollups_hourly (service_id, endpoint_id, region_id, hour, status, count, latency)
       SELECT $1::uuid, $2::uuid, $3::uuid, date_trunc('hour', $4::timestamptz) + h * interval '1 hour', 200, 60,
              array_fill(60, ARRAY[1]) || array_fill(0, ARRAY[${LATENCY_BUCKETS - 1}])
         FROM generate_series(0, 9) AS h`,
      ids.s,
      ids.e,
      ids.r,
      new Date(ancient).toISOString(),
    );
    const ancientMonth = `request_rollups_hourly_p${ymd(ancient).slice(0, 6)}`;
    expect(await countIn(ancientMonth)).toBe(10);

    const before = await totalsByHour();
    const [{ n: minutesBefore }] = await stack.db.$queryRawUnsafe<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM request_rollups WHERE minute < $1::timestamptz`,
      new Date(cutoff).toISOString(),
    );
    const daysBefore = await partitions("request_rollups");
    expect(daysBefore.filter((p) => p.hi.getTime() <= cutoff).length).toBeGreaterThanOrEqual(3);

    const res = await foldOldRollups(stack.db, now);
    expect(res.cutoffMs).toBe(cutoff);
    expect(res.rollupMinutesFolded).toBe(minutesBefore);
    expect(res.hourlyRowsDropped).toBe(10);

    // Day partitions entirely older than the cutoff are gone (counted in pg_inherits); the straddling day is
    // kept with only its minutes from the cutoff on; nothing older than the cutoff is left in minutes.
    const [{ n: oldParts }] = await stack.db.$queryRawUnsafe<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'request_rollups'::regclass AND c.relname LIKE 'request_rollups_p%' AND c.relname < $1`,
      `request_rollups_p${ymd(straddling)}`,
    );
    expect(oldParts).toBe(0);
    const daysAfter = (await partitions("request_rollups")).map((p) => p.part);
    expect(daysAfter).toContain(`request_rollups_p${ymd(straddling)}`);
    for (const d of oldDays) expect(daysAfter).not.toContain(`request_rollups_p${ymd(d)}`);
    expect(res.partitionsDropped).toBe(daysBefore.filter((p) => p.hi.getTime() <= cutoff).length + 1);
    // (The 2 h past the cutoff run into the next day's partition when the cutoff is after 22:00 UTC.)
    const [left] = await stack.db.$queryRawUnsafe<{ old: number; kept: number; keptInDay: number }[]>(
      `SELECT (SELECT count(*)::int FROM request_rollups WHERE minute < $1::timestamptz) AS old,
              (SELECT count(*)::int FROM request_rollups
                WHERE minute >= $1::timestamptz AND minute < $2::timestamptz) AS kept,
              (SELECT count(*)::int FROM "request_rollups_p${ymd(straddling)}" WHERE minute >= $1::timestamptz)
                AS "keptInDay"`,
      new Date(cutoff).toISOString(),
      new Date(cutoff + 2 * HOUR_MS).toISOString(),
    );
    expect(left).toEqual({
      old: 0,
      kept: rowsBetween(straddleStart, straddleMinutes, cutoff, Infinity),
      keptInDay: rowsBetween(straddleStart, straddleMinutes, cutoff, straddling + DAY_MS),
    });
    // The ancient month is dropped; the folded hours are in their months' partitions, none in DEFAULT.
    expect((await partitions("request_rollups_hourly")).map((p) => p.part)).not.toContain(ancientMonth);
    expect(await countIn("request_rollups_hourly_default")).toBe(0);
    expect(await countIn("request_rollups_default")).toBe(0);

    // Every hour has the same counts and histograms as before (but the dropped ancient hours).
    const after = await totalsByHour();
    const keep = (rows: typeof before) => rows.filter((r) => r.h.getTime() > ancient + DAY_MS);
    expect(keep(after)).toEqual(keep(before));
    expect(keep(before).length).toBeGreaterThan(10);

    // Partitions ahead of time: the next two days and next month.
    for (const d of [dayOf(now) + DAY_MS, dayOf(now) + 2 * DAY_MS])
      expect(daysAfter).toContain(`request_rollups_p${ymd(d)}`);

    // Idempotent: nothing more to fold or drop.
    const again = await foldOldRollups(stack.db, now);
    expect(again).toMatchObject({ rollupMinutesFolded: 0, hourlyRowsDropped: 0, partitionsDropped: 0 });
    expect(await totalsByHour()).toEqual(after);

    // An hour later the cutoff moves on by an hour: that hour is folded out of the straddling day.
    const next = await foldOldRollups(stack.db, now + HOUR_MS);
    expect(next.rollupMinutesFolded).toBe(
      rowsBetween(straddleStart, straddleMinutes, cutoff, cutoff + HOUR_MS),
    );
    expect(await totalsByHour()).toEqual(after);
  });
});

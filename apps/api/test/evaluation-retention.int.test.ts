import { LATENCY_BUCKETS } from "@burnrate/contracts";
import { MINUTE_RETENTION_MS, ensureRollupPartitions, storeSliMinutes } from "@burnrate/db";
import { QUEUE_NAME } from "@burnrate/jobs";
import { startWorker } from "@burnrate/worker/worker";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { createRetentionJob } from "../../worker/src/jobs/retention";
import { REDIS_URL, call, startStack, type Stack } from "./harness";

/** Retention: minutes older than 8 days fold into hours and are dropped; status and series do not change. */
describe("retention folds old minutes into hours", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  it("keeps every count, moves it to hourly rows, and status and series read it", async () => {
    const now = Date.now();
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    });
    expect(slo.status).toBe(201);
    const sloId = slo.body!.id as string;
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: JSON.stringify({
        ts: now - MINUTE_MS,
        service: "cart",
        endpoint: "GET /cart",
        region: "prod-eu",
        status: 200,
        durationMs: 5,
      }),
    });
    const [ids] = await stack.db.$queryRawUnsafe<{ s: string; e: string; r: string }[]>(
      `SELECT s.id AS s, e.id AS e, r.id AS r FROM services s JOIN endpoints e ON e.service_id = s.id, regions r
        WHERE s.slug = 'cart' AND r.slug = 'prod-eu'`,
    );
    // Old data, placed in the past with SQL (ingest refuses anything older than 7 days): 10 days ago, 3 hours
    // starting at a half hour, so that a partial hour exists; minute m has 10 + m % 7 requests, m % 3 of them 5xx.
    const oldStart = Math.floor((now - 10 * DAY_MS) / HOUR_MS) * HOUR_MS + 30 * MINUTE_MS;
    await ensureRollupPartitions(stack.db, "request_rollups", oldStart, oldStart + 3 * HOUR_MS);
    await stack.db.$executeRawUnsafe(
      `INSERT INTO request_rollups (service_id, endpoint_id, region_id, minute, status, count, latency)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::timestamptz + m * interval '1 minute', st,
              CASE WHEN st = 200 THEN 10 + m % 7 - m % 3 ELSE m % 3 END,
              array_fill(0, ARRAY[$5::int])
                || ARRAY[CASE WHEN st = 200 THEN 10 + m % 7 - m % 3 ELSE m % 3 END]
         FROM generate_series(0, 179) AS m, (VALUES (200), (500)) AS v(st)
        WHERE st = 200 OR m % 3 > 0`,
      ids!.s,
      ids!.e,
      ids!.r,
      new Date(oldStart).toISOString(),
      LATENCY_BUCKETS - 1,
    );
    // Their SLI minutes, as the evaluator would have written them; and recent minutes (2 days ago).
    await storeSliMinutes(
      stack.db,
      [oldStart, Math.floor((now - 2 * DAY_MS) / MINUTE_MS) * MINUTE_MS].flatMap((start) =>
        Array.from({ length: 180 }, (_, m) => ({
          sloId,
          regionId: ids!.r,
          minuteMs: start + m * MINUTE_MS,
          good: 10 + (m % 7) - (m % 3),
          total: 10 + (m % 7),
        })),
      ),
    );
    const expectTotal = 2 * Array.from({ length: 180 }, (_, m) => 10 + (m % 7)).reduce((a, b) => a + b, 0);
    const expectBad = 2 * Array.from({ length: 180 }, (_, m) => m % 3).reduce((a, b) => a + b, 0);

    const before = await call(stack, "GET", `/api/v1/slos/${sloId}/status?at=${now}`);
    expect(before.body!.sli.total).toBe(expectTotal);
    expect(before.body!.errorBudget.bad).toBe(expectBad);
    const seriesQ = `/api/v1/slos/${sloId}/series?from=${now - 12 * DAY_MS}&to=${now}&step=${HOUR_MS}`;
    const sBefore = await call(stack, "GET", seriesQ);
    const sumOf = (pts: { good: number; total: number }[]) =>
      pts.reduce((a, p) => ({ good: a.good + p.good, total: a.total + p.total }), { good: 0, total: 0 });
    const rollupSums = () =>
      stack.db.$queryRawUnsafe<{ n: number; b: number[] }[]>(
        `SELECT sum(count)::int AS n, (SELECT array_agg(s ORDER BY i) FROM (
            SELECT i, sum(v)::int AS s FROM (SELECT latency FROM request_rollups UNION ALL
                                             SELECT latency FROM request_rollups_hourly) x,
                   unnest(latency) WITH ORDINALITY AS u(v, i) GROUP BY i) y) AS b
           FROM (SELECT count FROM request_rollups UNION ALL SELECT count FROM request_rollups_hourly) c`,
      );
    const [rBefore] = await rollupSums();

    const job = createRetentionJob({ db: stack.db, now: () => now, log: pino({ level: "silent" }) });
    const res = await job();
    expect(res.cutoffMs).toBe(Math.floor((now - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS);
    expect(res.rollupMinutesFolded).toBe(180 + 120);
    expect(res.sliHoursFolded).toBe(4); // 3 h from :30 touch 4 hours

    // Old minutes are gone, recent ones stay; the hourly rows hold the same counts and histograms.
    const left = await stack.db.$queryRawUnsafe<{ r: number; s: number; h: number; sh: number; m: number }[]>(
      `SELECT (SELECT count(*)::int FROM request_rollups WHERE minute < $1::timestamptz) AS r,
              (SELECT count(*)::int FROM sli_hours WHERE hour < $1::timestamptz AND minute_total IS NOT NULL) AS s,
              (SELECT count(*)::int FROM request_rollups_hourly) AS h,
              (SELECT count(*)::int FROM sli_hours WHERE hour < $1::timestamptz) AS sh,
              (SELECT count(*)::int FROM sli_hours, unnest(minute_total) AS v WHERE v > 0) AS m`,
      new Date(res.cutoffMs).toISOString(),
    );
    expect(left[0]).toEqual({ r: 0, s: 0, h: 4 * 2, sh: 4, m: 180 }); // ×2 statuses; 180 recent minutes kept
    const [rAfter] = await rollupSums();
    expect(rAfter).toEqual(rBefore);
    const hours = await stack.db.$queryRawUnsafe<{ good: bigint; total: bigint }[]>(
      `SELECT good, total FROM sli_hours WHERE hour < $1::timestamptz ORDER BY hour`,
      new Date(res.cutoffMs).toISOString(),
    );
    expect(hours.map((h) => Number(h.total))).toEqual([
      Array.from({ length: 30 }, (_, m) => 10 + (m % 7)).reduce((a, b) => a + b, 0),
      ...[30, 90].map((o) =>
        Array.from({ length: 60 }, (_, m) => 10 + ((m + o) % 7)).reduce((a, b) => a + b, 0),
      ),
      Array.from({ length: 30 }, (_, m) => 10 + ((m + 150) % 7)).reduce((a, b) => a + b, 0),
    ]);

    // Status and series see the same numbers as before.
    const after = await call(stack, "GET", `/api/v1/slos/${sloId}/status?at=${now}`);
    expect(after.body!.sli).toEqual(before.body!.sli);
    expect(after.body!.errorBudget).toEqual(before.body!.errorBudget);
    expect(after.body!.burnRates).toEqual(before.body!.burnRates);
    const sAfter = await call(stack, "GET", seriesQ);
    expect(sumOf(sAfter.body!.points)).toEqual(sumOf(sBefore.body!.points));
    expect(sumOf(sAfter.body!.points).total).toBe(expectTotal);

    // Idempotent.
    const again = await job();
    expect([again.rollupMinutesFolded, again.sliHoursFolded]).toEqual([0, 0]);
  });

  it("the worker schedules it hourly", async () => {
    const prefix = `tr${Math.random().toString(16).slice(2, 10)}`;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const w = await startWorker({
      config: {
        PUBLIC_URL: stack.baseUrl,
        WORKER_CONCURRENCY: 1,
        BURNRATE_EVAL_EVERY_MS: MINUTE_MS,
        BURNRATE_EVAL_SHARD_SIZE: 50,
        BURNRATE_QUEUE_PREFIX: prefix,
      },
      db: stack.db,
      redis,
      slack: null,
      log: pino({ level: "silent" }),
      now: Date.now,
    });
    try {
      const schedulers = await w.queue.getJobSchedulers();
      const r = schedulers.find((s) => s.key === "rollups-retention");
      expect(r?.name).toBe("rollups.retention");
      expect(Number(r?.every)).toBe(HOUR_MS);
      expect(w.queue.name).toBe(QUEUE_NAME);
    } finally {
      for (const s of await w.queue.getJobSchedulers()) await w.queue.removeJobScheduler(s.key);
      await w.queue.obliterate({ force: true }).catch(() => undefined);
      await w.close();
      redis.disconnect();
    }
  });
});

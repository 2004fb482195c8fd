import { LATENCY_BUCKETS, latencyBucket } from "@burnrate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * Creating or changing an SLO recomputes its whole history from the rollups: the minutes kept at minute
 * resolution, and the hourly rollups older than that (100 days back here), so the period budget and the
 * long-range series are right as soon as the backfill ends.
 */
describe("backfill rebuilds the SLI history from minute and hourly rollups", () => {
  let stack: Stack;
  const now = Date.now();
  // Hourly rollups (what retention leaves of old minutes): 3 hours at 20 days and 3 hours at 100 days ago,
  // each 1,000 requests, 40 of them 503 (slow), 960 fast 200s.
  const oldHours = [20, 100].flatMap((d) =>
    [0, 1, 2].map((h) => Math.floor((now - d * DAY_MS) / HOUR_MS) * HOUR_MS + h * HOUR_MS),
  );
  // Recent traffic through ingest: 2 days ago and 10 minutes ago, 300 requests each, 3 of them 500 (slow).
  const recent = [now - 2 * DAY_MS, now - 10 * MINUTE_MS].flatMap((t) =>
    Array.from({ length: 300 }, (_, i) => ({
      ts: t + i * 100,
      service: "cart",
      endpoint: "GET /cart",
      region: "prod-eu",
      status: i % 100 === 0 ? 500 : 200,
      durationMs: i % 100 === 0 ? 2500 : 80,
    })),
  );

  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    const ing = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(recent),
    });
    expect(JSON.parse(ing.body)).toMatchObject({ accepted: 600, rejected: 0 });
    const [ids] = await stack.db.$queryRawUnsafe<{ s: string; e: string; r: string }[]>(
      `SELECT s.id::text AS s, e.id::text AS e, r.id::text AS r
         FROM services s JOIN endpoints e ON e.service_id = s.id, regions r
        WHERE s.slug = 'cart' AND r.slug = 'prod-eu'`,
    );
    const hist = (bucket: number, n: number) => {
      const a = new Array<number>(LATENCY_BUCKETS).fill(0);
      a[bucket] = n;
      return `{${a.join(",")}}`;
    };
    for (const hour of oldHours)
      for (const [status, n, ms] of [
        [200, 960, 80],
        [503, 40, 2500],
      ] as const)
        await stack.db.$executeRawUnsafe(
          `INSERT INTO request_rollups_hourly (service_id, endpoint_id, region_id, hour, status, count, latency)
           VALUES ($1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5, $6, $7::int[])`,
          ids!.s,
          ids!.e,
          ids!.r,
          new Date(hour).toISOString(),
          status,
          n,
          hist(latencyBucket(ms), n),
        );
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  const backfilled = (id: string) =>
    waitFor(
      "the backfill",
      async () =>
        (await call(stack, "GET", `/api/v1/slos/${id}`)).body!.backfillPercent === 100 ? true : null,
      MINUTE_MS,
    );

  it("a new SLO's period budget and long series include the hourly history", async () => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    });
    expect(slo.status).toBe(201);
    const id = slo.body!.id as string;
    await backfilled(id);

    // Rolling 28 days: the recent 600 requests (6 bad) and the 3 hours of 20 days ago (3,000, 120 bad).
    const st = await call(stack, "GET", `/api/v1/slos/${id}/status?region=prod-eu`);
    expect(st.body!.sli).toEqual({ good: 594 + 2880, total: 3600, ratio: (594 + 2880) / 3600 });
    expect(st.body!.errorBudget.bad).toBe(126);

    // The series over 120 days sees the 100-day-old hours too.
    const series = await call(
      stack,
      "GET",
      `/api/v1/slos/${id}/series?region=prod-eu&from=${now - 120 * DAY_MS}&to=${now}&step=${HOUR_MS}`,
    );
    const pts = series.body!.points as { good: number; total: number }[];
    expect(pts.reduce((a, p) => a + p.total, 0)).toBe(600 + 6000);
    expect(pts.reduce((a, p) => a + p.good, 0)).toBe(594 + 5760);

    // Old hours at hour resolution, recent hours with their minutes.
    const rows = await stack.db.$queryRawUnsafe<{ hour: Date; minutes: boolean; total: bigint }[]>(
      `SELECT hour, minute_total IS NOT NULL AS minutes, total FROM sli_hours WHERE slo_id = $1::uuid ORDER BY hour`,
      id,
    );
    expect(rows.filter((r) => !r.minutes).map((r) => r.hour.getTime())).toEqual(
      [...oldHours].sort((a, b) => a - b),
    );
    expect(rows.filter((r) => !r.minutes).every((r) => Number(r.total) === 1000)).toBe(true);
    expect(rows.filter((r) => r.minutes).reduce((a, r) => a + Number(r.total), 0)).toBe(600);
  });

  it("changing the SLI recomputes every resolution with the new definition", async () => {
    const list = (await call(stack, "GET", `/api/v1/slos?service=cart`)).body as unknown as { id: string }[];
    expect(list).toHaveLength(1);
    const id = list[0]!.id;
    const patched = await call(stack, "PATCH", `/api/v1/slos/${id}`, {
      sli: { type: "latency", thresholdMs: 1000 },
      reason: "latency is what users feel",
    });
    expect(patched.status).toBe(200);
    await backfilled(id);
    // Within 1 s: every 80 ms request; the 2.5 s ones (the same as the failures here) are slow.
    const series = await call(
      stack,
      "GET",
      `/api/v1/slos/${id}/series?region=prod-eu&from=${now - 120 * DAY_MS}&to=${now}&step=${HOUR_MS}`,
    );
    const pts = series.body!.points as { good: number; total: number }[];
    expect(pts.reduce((a, p) => a + p.total, 0)).toBe(6600);
    expect(pts.reduce((a, p) => a + p.good, 0)).toBe(594 + 5760);
    const st = await call(stack, "GET", `/api/v1/slos/${id}/status?region=prod-eu`);
    expect(st.body!.sli.total).toBe(3600);
    expect(st.body!.sli.good).toBe(594 + 2880);
  });
});

import { readEndpointStatsSnapshot } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import { snapshotEndpointStats } from "@burnrate/worker/period-snapshots";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINT_SNAPSHOT_FRESH_MS, indicatorsReport } from "../src/services/reports/indicators";
import { call, ndjson, startStack, type Stack } from "./harness";

/**
 * The indicators' endpoint tables read from the worker's snapshot (slo.snapshot) against the same tables read
 * from the request rollups, on traffic ingested at a fixed "now": two teams, three endpoints, two regions, with
 * failures and slow requests on some of them.
 */
const NOW = Date.UTC(2025, 2, 20, 12, 0, 0);

describe("endpoint tables snapshot", () => {
  let stack: Stack;
  const ingest = async (records: object[]) => {
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(records),
    });
    expect(JSON.parse(r.body)).toMatchObject({ accepted: records.length, rejected: 0 });
  };
  const tables = (kind: "current" | "previous", snapshots: boolean, nowMs = NOW, filter = {}) =>
    indicatorsReport({ db: stack.db, filter: { window: kind, ...filter }, nowMs, snapshots }).then((r) => ({
      leastAvailable: r.leastAvailable,
      slowest: r.slowest,
    }));

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    for (const slug of ["prod-eu", "prod-us"]) await stack.db.region.create({ data: { slug, name: slug } });
    await call(stack, "POST", "/api/v1/teams", { slug: "pay", name: "Payments" });
    await call(stack, "POST", "/api/v1/teams", { slug: "find", name: "Search" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "pay" });
    await call(stack, "POST", "/api/v1/services", { slug: "search", name: "Search", team: "find" });
    const records: object[] = [];
    for (let m = 1; m <= 120; m++) {
      const ts = NOW - m * MINUTE_MS;
      records.push(
        {
          ts,
          service: "checkout",
          method: "POST",
          route: "/pay",
          region: "prod-eu",
          status: m % 10 === 0 ? 503 : 200,
          durationMs: 40 + (m % 7) * 30,
        },
        {
          ts,
          service: "checkout",
          method: "GET",
          route: "/cart",
          region: "prod-us",
          status: 200,
          durationMs: 8,
        },
        {
          ts,
          service: "search",
          method: "GET",
          route: "/q",
          region: "prod-eu",
          status: m % 4 === 0 ? 500 : 200,
          durationMs: 900 + m,
        },
      );
    }
    await ingest(records);
  }, 120_000);
  afterAll(async () => stack?.stop());

  it("serves the tables the rollups give, filtered as asked, and nothing older than its freshness", async () => {
    const live = await tables("current", false);
    expect(live.leastAvailable.map((r) => `${r.service} ${r.endpoint} ${r.region}`)).toEqual([
      "search GET /q prod-eu",
      "checkout POST /pay prod-eu",
      "checkout GET /cart prod-us",
    ]);
    expect(live.leastAvailable[0]).toMatchObject({ total: 120, good: 90, availability: 0.75 });
    // no snapshot yet: read from the rollups
    expect(
      await readEndpointStatsSnapshot(stack.db, "current", {}, { nowMs: NOW, freshMs: 60_000 }),
    ).toBeNull();
    expect(await tables("current", true)).toEqual(live);

    const written = await snapshotEndpointStats({ db: stack.db, now: () => NOW });
    expect(written.rows).toBe(3); // current: three service × endpoint × region; previous: none
    expect(await tables("current", true)).toEqual(live);
    expect(await tables("previous", true)).toEqual(await tables("previous", false));
    for (const filter of [{ team: "pay" }, { service: "search" }, { region: "prod-us" }, { team: "nobody" }])
      expect(await tables("current", true, NOW, filter), JSON.stringify(filter)).toEqual(
        await tables("current", false, NOW, filter),
      );
    expect((await tables("current", true, NOW, { team: "pay" })).leastAvailable).toHaveLength(2);

    // traffic after the snapshot is not in it until the next one (the tables are as of the snapshot)…
    await ingest([
      {
        ts: NOW - 30_000,
        service: "checkout",
        method: "GET",
        route: "/cart",
        region: "prod-us",
        status: 500,
        durationMs: 8,
      },
    ]);
    const cart = (t: Awaited<ReturnType<typeof tables>>) =>
      t.leastAvailable.find((r) => r.endpoint === "GET /cart")!;
    expect(cart(await tables("current", true)).total).toBe(120);
    expect(cart(await tables("current", false)).total).toBe(121);
    // …and a snapshot older than its freshness is not read: the tables come from the rollups
    const later = NOW + ENDPOINT_SNAPSHOT_FRESH_MS + MINUTE_MS;
    expect(cart(await tables("current", true, later)).total).toBe(121);
    // a snapshot "from the future" (a clock that went back) is not read either
    expect(cart(await tables("current", true, NOW - MINUTE_MS)).total).toBe(
      cart(await tables("current", false, NOW - MINUTE_MS)).total,
    );
    await snapshotEndpointStats({ db: stack.db, now: () => NOW });
    expect(cart(await tables("current", true)).total).toBe(121);
  });

  it("two writers of one window take turns: the snapshot holds each row once", async () => {
    await Promise.all([1, 2, 3].map(() => snapshotEndpointStats({ db: stack.db, now: () => NOW })));
    const rows = await stack.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM endpoint_stats_snapshots WHERE window_kind = 'current'`,
    );
    expect(rows[0]!.n).toBe(3);
    expect(await tables("current", true)).toEqual(await tables("current", false));
  });
});

import { ALL_REGIONS_KEY, replaceMetricSnapshots, type MetricSnapshot } from "@burnrate/db";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSloExposition } from "../src/services/metrics/slo-metrics";
import { call, startStack, type Stack } from "./harness";

/**
 * GET /metrics/slos writes its text again only when the worker's snapshot or a label changed: the snapshots are
 * written here as an evaluation cycle writes them (replaceMetricSnapshots), with no worker running.
 */
const NOW = Date.UTC(2025, 2, 20, 12, 0, 0);

describe("SLO metrics: one writing per snapshot", () => {
  let stack: Stack;
  let sloId: string;
  const snapshot = (remaining: number, evaluatedAtMs = NOW): MetricSnapshot[] =>
    ["prod-eu", ALL_REGIONS_KEY].map((regionKey) => ({
      sloId,
      regionKey,
      evaluatedAtMs,
      objective: 0.999,
      good: 9990,
      bad: 10,
      sli: 0.999,
      remaining,
      windows: [{ window: "1h", sli: 0.999, burnRate: 1 }],
      pageFiring: false,
      ticketFiring: false,
    }));
  const scrape = async () => {
    const r = await stack.app.inject({ method: "GET", url: "/metrics/slos" });
    expect(r.statusCode).toBe(200);
    return r.body;
  };
  const remainingOf = (text: string) =>
    text
      .split("\n")
      .filter((l) => l.startsWith("burnrate_slo_error_budget_remaining_ratio{"))
      .map((l) => Number(l.split(" ").at(-1)));

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "m", name: "M" });
    await call(stack, "POST", "/api/v1/services", { slug: "m-api", name: "M API", team: "m" });
    const r = await call(stack, "POST", "/api/v1/slos", {
      service: "m-api",
      name: "Checkout availability",
      endpoint: "GET /m",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
    });
    expect(r.status).toBe(201);
    sloId = r.body!.id as string;
  });
  afterAll(async () => stack?.stop());

  it("serves the same text until a cycle writes the snapshot again, then the new numbers", async () => {
    await replaceMetricSnapshots(stack.db, [sloId], snapshot(0.5));
    const first = (await readSloExposition(stack.db)).text;
    expect((await readSloExposition(stack.db)).text).toBe(first); // the same buffer: not written again
    expect(remainingOf(first.toString())).toEqual([0.5, 0.5]);
    // the next cycle, even at the same evaluation instant (a retried shard), is seen at the next scrape
    await replaceMetricSnapshots(stack.db, [sloId], snapshot(0.25));
    const second = (await readSloExposition(stack.db)).text;
    expect(second).not.toBe(first);
    expect(remainingOf(second.toString())).toEqual([0.25, 0.25]);
    expect(remainingOf(await scrape())).toEqual([0.25, 0.25]);
  });

  it("a cycle replaces the rows in place: a region without data loses its row, other SLOs keep theirs", async () => {
    const other = await call(stack, "POST", "/api/v1/slos", {
      service: "m-api",
      name: "Other availability",
      endpoint: "GET /other",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    });
    expect(other.status).toBe(201);
    const otherId = other.body!.id as string;
    const rowsOf = async (id: string) =>
      (
        await stack.db.sloMetricSnapshot.findMany({ where: { sloId: id }, orderBy: { regionKey: "asc" } })
      ).map((r) => `${r.regionKey}:${r.remaining}`);
    const twoRegions = [...snapshot(0.5), { ...snapshot(0.5)[0]!, regionKey: "prod-us" }];
    await replaceMetricSnapshots(stack.db, [sloId], twoRegions);
    await replaceMetricSnapshots(
      stack.db,
      [otherId],
      snapshot(0.75).map((r) => ({ ...r, sloId: otherId })),
    );
    expect(await rowsOf(sloId)).toEqual(["*:0.5", "prod-eu:0.5", "prod-us:0.5"]);
    // prod-us had no data in the next cycle: its row goes; the other SLO's rows are not this write's
    await replaceMetricSnapshots(stack.db, [sloId], snapshot(0.4));
    expect(await rowsOf(sloId)).toEqual(["*:0.4", "prod-eu:0.4"]);
    expect(await rowsOf(otherId)).toEqual(["*:0.75", "prod-eu:0.75"]);
    // an SLO with no rows at all this cycle (no region with data) has none left
    await replaceMetricSnapshots(stack.db, [otherId], []);
    expect(await rowsOf(otherId)).toEqual([]);
    // the same key twice in one write is refused, and the previous rows stay (one transaction)
    await expect(
      replaceMetricSnapshots(stack.db, [sloId], [...snapshot(0.3), ...snapshot(0.3)]),
    ).rejects.toThrow();
    expect(await rowsOf(sloId)).toEqual(["*:0.4", "prod-eu:0.4"]);
    await stack.db.slo.delete({ where: { id: otherId } });
  });

  it("concurrent scrapes of a new snapshot share one writing", async () => {
    await replaceMetricSnapshots(stack.db, [sloId], snapshot(0.125));
    const all = await Promise.all([1, 2, 3, 4, 5].map(async () => (await readSloExposition(stack.db)).text));
    for (const b of all) expect(b).toBe(all[0]);
    expect(remainingOf(all[0]!.toString())).toEqual([0.125, 0.125]);
  });

  it("gzips for a client that asks (as Prometheus does), once per snapshot, the same text", async () => {
    const plain = await stack.app.inject({ method: "GET", url: "/metrics/slos" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toContain("accept-encoding");
    for (const accept of ["gzip", "deflate, gzip;q=0.5", "*", "identity, gzip"]) {
      const r = await stack.app.inject({
        method: "GET",
        url: "/metrics/slos",
        headers: { "accept-encoding": accept },
      });
      expect(r.headers["content-encoding"], accept).toBe("gzip");
      expect(gunzipSync(r.rawPayload).toString(), accept).toBe(plain.body);
    }
    for (const accept of ["identity", "br", "gzip;q=0", "gzip;q=0.0"]) {
      const r = await stack.app.inject({
        method: "GET",
        url: "/metrics/slos",
        headers: { "accept-encoding": accept },
      });
      expect(r.headers["content-encoding"], accept).toBeUndefined();
      expect(r.body, accept).toBe(plain.body);
    }
    const e = await readSloExposition(stack.db);
    expect(await e.gzipped()).toBe(await (await readSloExposition(stack.db)).gzipped());
  });

  it("a renamed SLO, service or team shows in the labels at the next scrape; a deleted SLO is gone", async () => {
    expect(await scrape()).toContain('slo="Checkout availability"');
    const patched = await call(stack, "PATCH", `/api/v1/slos/${sloId}`, {
      name: "Cart availability",
      reason: "the page is about the cart",
    });
    expect(patched.status).toBe(200);
    const renamed = await scrape();
    expect(renamed).toContain('slo="Cart availability"');
    expect(renamed).not.toContain('slo="Checkout availability"');
    await stack.db.team.update({ where: { slug: "m" }, data: { slug: "m2" } });
    expect(await scrape()).toContain('team="m2"');
    expect((await call(stack, "DELETE", `/api/v1/slos/${sloId}`)).status).toBe(204);
    const gone = await scrape();
    expect(gone).not.toContain(sloId);
    expect(remainingOf(gone)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { HOUR_MS, MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import {
  DEMO_CATALOG,
  deploymentsBetween,
  diurnalFactor,
  expectedRecords,
  generate,
  generateChunks,
  incidentsBetween,
  rateAt,
  type RequestRecord,
  type TrafficOptions,
} from "./traffic";

/** A fixed UTC midnight: 2025-03-10T00:00:00Z. */
const DAY0 = Date.UTC(2025, 2, 10);
const NO_SPORADIC: TrafficOptions = { sporadicProbability: 0 };

const is5xx = (r: RequestRecord) => r.status >= 500;
const where = (
  rs: RequestRecord[],
  f: Partial<Pick<RequestRecord, "service" | "region" | "method" | "route">>,
) => rs.filter((r) => Object.entries(f).every(([k, v]) => r[k as keyof RequestRecord] === v));
const errorRate = (rs: RequestRecord[]) => rs.filter(is5xx).length / rs.length;
const slowShare = (rs: RequestRecord[], ms: number) => rs.filter((r) => r.durationMs > ms).length / rs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("determinism", () => {
  it("gives the same records for the same seed and span, and different ones for another seed", () => {
    const a = generate(DAY0 + 9 * HOUR_MS, DAY0 + 9 * HOUR_MS + 10 * MINUTE_MS, { seed: 7 });
    const b = generate(DAY0 + 9 * HOUR_MS, DAY0 + 9 * HOUR_MS + 10 * MINUTE_MS, { seed: 7 });
    const c = generate(DAY0 + 9 * HOUR_MS, DAY0 + 9 * HOUR_MS + 10 * MINUTE_MS, { seed: 8 });
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(generate(DAY0, DAY0 + MINUTE_MS, { seed: "demo" })).toEqual(
      generate(DAY0, DAY0 + MINUTE_MS, { seed: "demo" }),
    );
  });

  it("does not depend on how the span is cut (mid-second cuts, chunks)", () => {
    const from = DAY0 + 10 * HOUR_MS + 123;
    const to = from + 30 * MINUTE_MS;
    const cut = from + 777_777;
    const whole = generate(from, to);
    expect([...generate(from, cut), ...generate(cut, to)]).toEqual(whole);

    const chunks = [...generateChunks(from, to, { maxRecords: 500 })];
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.flatMap((c) => c.records)).toEqual(whole);
    expect(chunks[0]!.fromMs).toBe(from);
    expect(chunks.at(-1)!.toMs).toBe(to);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.fromMs).toBe(chunks[i - 1]!.toMs);
    for (const c of chunks) {
      expect(c.records.length).toBeLessThan(500 + 50); // at most one second over
      for (const r of c.records) expect(r.ts >= c.fromMs && r.ts < c.toMs).toBe(true);
    }
  });

  it("yields nothing for an empty span", () => {
    expect(generate(DAY0, DAY0)).toEqual([]);
    expect([...generateChunks(DAY0 + 1000, DAY0)]).toEqual([]);
  });
});

describe("rates", () => {
  it("follows a day curve: peak / trough = 1 / 0.3, with prod-us phase-shifted", () => {
    const eu = DEMO_CATALOG.regions.find((r) => r.slug === "prod-eu")!;
    const us = DEMO_CATALOG.regions.find((r) => r.slug === "prod-us")!;
    expect(diurnalFactor(DAY0 + eu.peakHourUtc * HOUR_MS, eu)).toBeCloseTo(1, 9);
    expect(diurnalFactor(DAY0 + (eu.peakHourUtc + 12) * HOUR_MS, eu)).toBeCloseTo(0.3, 9);
    expect(us.peakHourUtc).not.toBe(eu.peakHourUtc);
    expect(
      rateAt(DAY0 + 13 * HOUR_MS, "checkout", "GET /cart", "prod-eu") /
        rateAt(DAY0 + 1 * HOUR_MS, "checkout", "GET /cart", "prod-eu"),
    ).toBeCloseTo(1 / 0.3, 6);

    // Empirically: one hour around the peak against one around the trough, per region.
    for (const region of [eu, us]) {
      const peak = where(
        generate(
          DAY0 + (region.peakHourUtc - 0.5) * HOUR_MS,
          DAY0 + (region.peakHourUtc + 0.5) * HOUR_MS,
          NO_SPORADIC,
        ),
        { region: region.slug },
      ).length;
      const troughAt = DAY0 + (region.peakHourUtc + 12 - 0.5) * HOUR_MS;
      const trough = where(generate(troughAt, troughAt + HOUR_MS, NO_SPORADIC), {
        region: region.slug,
      }).length;
      expect(peak / trough).toBeGreaterThan(2.9);
      expect(peak / trough).toBeLessThan(3.7);
    }
  });

  it("scales with `scale`, and matches the expected count", () => {
    const from = DAY0 + 12 * HOUR_MS;
    const n1 = generate(from, from + 10 * MINUTE_MS, NO_SPORADIC).length;
    const n3 = generate(from, from + 10 * MINUTE_MS, { ...NO_SPORADIC, scale: 3 }).length;
    expect(n3 / n1).toBeGreaterThan(2.8);
    expect(n3 / n1).toBeLessThan(3.2);
    const expected = expectedRecords(from, from + 10 * MINUTE_MS);
    expect(Math.abs(n1 - expected) / expected).toBeLessThan(0.05);
  });

  it("keeps the default 48 h backfill under 1.5M records", () => {
    expect(expectedRecords(DAY0, DAY0 + 48 * HOUR_MS)).toBeLessThan(1_500_000);
    expect(expectedRecords(DAY0, DAY0 + 48 * HOUR_MS)).toBeGreaterThan(500_000);
  });
});

describe("records", () => {
  it("are valid ingest lines within the span, sorted by ts", () => {
    const from = DAY0 + 10 * HOUR_MS + 25 * MINUTE_MS + 500; // covers the fast burn, mid-second start
    const to = from + 40 * MINUTE_MS;
    const rs = generate(from, to, { seed: 3, scale: 2 });
    const endpoints = new Set(
      DEMO_CATALOG.services.flatMap((s) => s.endpoints.map((e) => `${s.slug} ${e.method} ${e.route}`)),
    );
    const regions = new Set(DEMO_CATALOG.regions.map((r) => r.slug));
    const keys = ["ts", "service", "method", "route", "region", "status", "durationMs"].join();
    const bad = rs.filter(
      (r, i) =>
        !(Number.isInteger(r.status) && r.status >= 100 && r.status <= 599) ||
        !(Number.isFinite(r.durationMs) && r.durationMs >= 0) ||
        !(Number.isInteger(r.ts) && r.ts >= from && r.ts < to) ||
        (i > 0 && r.ts < rs[i - 1]!.ts) ||
        !endpoints.has(`${r.service} ${r.method} ${r.route}`) ||
        !regions.has(r.region) ||
        Object.keys(r).join() !== keys,
    );
    expect(rs.length).toBeGreaterThan(10_000);
    expect(bad.slice(0, 3)).toEqual([]);
    expect(new Set(rs.map((r) => r.status)).size).toBeGreaterThan(8); // 2xx, 4xx and 5xx all show up
  });

  it("keeps every SLO comfortably met outside incidents (burn rate < 0.5 in every region)", () => {
    const rs = generate(DAY0, DAY0 + 6 * HOUR_MS, { incidents: [], sporadicProbability: 0 });
    for (const slo of DEMO_CATALOG.slos) {
      for (const region of DEMO_CATALOG.regions) {
        let scope = where(rs, { service: slo.service, region: region.slug });
        if (slo.endpoint) {
          const [method, route] = slo.endpoint.split(" ");
          scope = where(scope, { method, route });
        }
        const bad =
          slo.sli.type === "availability"
            ? scope.filter(is5xx).length
            : scope.filter((r) => r.durationMs > (slo.sli as { thresholdMs: number }).thresholdMs).length;
        const burn = bad / scope.length / (1 - slo.objectivePercent / 100);
        expect(scope.length, slo.name).toBeGreaterThan(1000);
        expect(burn, `${slo.name} ${region.slug}`).toBeLessThan(0.5);
      }
    }
  });
});

describe("incidents", () => {
  const day = incidentsBetween(DAY0, DAY0 + 24 * HOUR_MS, NO_SPORADIC);
  const find = (prefix: string) => day.find((o) => o.id.startsWith(prefix))!;

  it("are scheduled every period, deterministically, with seeded sporadic ones on top", () => {
    expect(day.map((o) => o.id.split("@")[0])).toEqual([
      "search-eu-latency",
      "checkout-eu-fast-burn",
      "payments-us-slow-burn",
    ]);
    const fast = find("checkout-eu-fast-burn");
    expect(fast.endMs - fast.startMs).toBe(20 * MINUTE_MS);
    expect(new Date(fast.startMs).toISOString()).toBe("2025-03-10T10:30:00.000Z");
    const week = incidentsBetween(DAY0 - 7 * 24 * HOUR_MS, DAY0);
    expect(week.filter((o) => o.id.startsWith("checkout-eu-fast-burn"))).toHaveLength(7);
    expect(week.length).toBeGreaterThan(21); // some sporadic history
    expect(incidentsBetween(DAY0 - 7 * 24 * HOUR_MS, DAY0)).toEqual(week);
    // A shorter period repeats them more often.
    expect(
      incidentsBetween(DAY0, DAY0 + 24 * HOUR_MS, { ...NO_SPORADIC, incidentPeriodMs: 6 * HOUR_MS }).filter(
        (o) => o.id.startsWith("checkout"),
      ),
    ).toHaveLength(4);
  });

  it("fast burn: checkout prod-eu 5xx near 8% during the window only, nowhere else", () => {
    const fast = find("checkout-eu-fast-burn");
    const during = generate(fast.startMs, fast.endMs, NO_SPORADIC);
    const before = generate(fast.startMs - HOUR_MS, fast.startMs, NO_SPORADIC);
    const eu = where(during, { service: "checkout", region: "prod-eu" });
    expect(eu.length).toBeGreaterThan(2000);
    expect(errorRate(eu)).toBeGreaterThan(0.06);
    expect(errorRate(eu)).toBeLessThan(0.1);
    expect(errorRate(where(during, { service: "checkout", region: "prod-us" }))).toBeLessThan(0.005);
    expect(errorRate(where(during, { service: "search", region: "prod-eu" }))).toBeLessThan(0.01);
    expect(errorRate(where(before, { service: "checkout", region: "prod-eu" }))).toBeLessThan(0.005);
    // Right at the edges: nothing before startMs, errors from startMs on.
    const edge = generate(fast.startMs - 5 * MINUTE_MS, fast.startMs + 5 * MINUTE_MS, {
      ...NO_SPORADIC,
      scale: 10,
    });
    const pre = where(edge, { service: "checkout", region: "prod-eu" }).filter((r) => r.ts < fast.startMs);
    const post = where(edge, { service: "checkout", region: "prod-eu" }).filter((r) => r.ts >= fast.startMs);
    expect(errorRate(pre)).toBeLessThan(0.005);
    expect(errorRate(post)).toBeGreaterThan(0.06);
  });

  it("slow burn: payments-api prod-us 5xx near 0.8% for 6 h, prod-eu untouched", () => {
    const slow = find("payments-us-slow-burn");
    expect(slow.endMs - slow.startMs).toBe(6 * HOUR_MS);
    const during = generate(slow.startMs, slow.endMs, NO_SPORADIC);
    const us = where(during, { service: "payments-api", region: "prod-us" });
    expect(errorRate(us)).toBeGreaterThan(0.006);
    expect(errorRate(us)).toBeLessThan(0.012);
    expect(errorRate(where(during, { service: "payments-api", region: "prod-eu" }))).toBeLessThan(0.003);
    const after = generate(slow.endMs, slow.endMs + 3 * HOUR_MS, NO_SPORADIC);
    expect(errorRate(where(after, { service: "payments-api", region: "prod-us" }))).toBeLessThan(0.003);
  });

  it("latency degradation: search prod-eu about 3x slower for 1 h, without errors; prod-us and other hours normal", () => {
    const lat = find("search-eu-latency");
    const during = generate(lat.startMs, lat.endMs, NO_SPORADIC);
    const before = generate(lat.startMs - HOUR_MS, lat.startMs, NO_SPORADIC);
    const q = { service: "search", method: "GET", route: "/search" } as const;
    const euDuring = where(during, { ...q, region: "prod-eu" });
    const usDuring = where(during, { ...q, region: "prod-us" });
    const euBefore = where(before, { ...q, region: "prod-eu" });
    const ratio = median(euDuring.map((r) => r.durationMs)) / median(euBefore.map((r) => r.durationMs));
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(3.5);
    expect(slowShare(euDuring, 500)).toBeGreaterThan(0.2); // the 90%-within-500-ms SLO burns
    expect(slowShare(usDuring, 500)).toBeLessThan(0.03);
    expect(slowShare(euBefore, 500)).toBeLessThan(0.03);
    expect(errorRate(euDuring)).toBeLessThan(0.01);
  });
});

describe("deployments", () => {
  it("ships every service now and then, and a bad checkout deploy right before each fast burn, rolled back at its end", () => {
    const from = DAY0;
    const to = DAY0 + 48 * HOUR_MS;
    const ds = deploymentsBetween(from, to);
    expect(deploymentsBetween(from, to)).toEqual(ds);
    for (const s of DEMO_CATALOG.services)
      expect(ds.filter((d) => d.service === s.slug).length).toBeGreaterThanOrEqual(2);
    for (const d of ds) {
      expect(d.at >= from && d.at < to).toBe(true);
      expect(d.version).toMatch(/^v1\.\d+\.\d+(-rc\.1)?$/);
    }
    const fasts = incidentsBetween(from, to, NO_SPORADIC).filter((o) =>
      o.id.startsWith("checkout-eu-fast-burn"),
    );
    expect(fasts).toHaveLength(2);
    for (const f of fasts) {
      const bad = ds.find(
        (d) =>
          d.service === "checkout" &&
          d.region === "prod-eu" &&
          d.at < f.startMs &&
          d.at >= f.startMs - 5 * MINUTE_MS,
      );
      expect(bad?.version).toMatch(/-rc\.1$/);
      const rollback = ds.find((d) => d.service === "checkout" && d.region === "prod-eu" && d.at === f.endMs);
      expect(rollback?.note).toContain(bad!.version);
    }
    // Split spans give the same events.
    expect([
      ...deploymentsBetween(from, from + 17 * HOUR_MS),
      ...deploymentsBetween(from + 17 * HOUR_MS, to),
    ]).toEqual(ds);
  });
});

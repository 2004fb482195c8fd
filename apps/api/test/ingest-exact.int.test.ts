import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * 100,000 requests over the last 30 minutes, exactly 100 of them 5xx, latencies around a 300 ms
 * threshold (some exactly 300). The status must give exactly the expected SLI, remaining budget and burn rate
 * for every window, within 60 s of ingest. Expected values are computed here from the generated records with
 * the textbook formulas, not with slo-core.
 */
const WINDOWS_MIN = { "5m": 5, "30m": 30, "1h": 60, "2h": 120, "6h": 360, "1d": 1440, "3d": 4320 };
const N = 100_000;

interface Rec {
  ts: number;
  service: string;
  method: string;
  route: string;
  region: string;
  status: number;
  durationMs: number;
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(nowMs: number): Rec[] {
  const rand = mulberry32(7);
  const recs: Rec[] = [];
  for (let i = 0; i < N; i++) {
    const u = rand();
    // 10% exactly at the threshold, 3% just above it, 2% far above, the rest below (down to 299.999).
    const durationMs =
      u < 0.1
        ? 300
        : u < 0.13
          ? 300 + 0.001 + rand() * 49
          : u < 0.15
            ? 400 + rand() * 5000
            : 299.999 * rand();
    recs.push({
      ts: nowMs - 30 * 60_000 + Math.floor(rand() * 30 * 60_000),
      service: "checkout",
      method: "GET",
      route: "/cart",
      region: rand() < 0.7 ? "prod-eu" : "prod-us",
      status: rand() < 0.05 ? 404 : 200,
      durationMs,
    });
  }
  // Exactly 100 5xx: 40 in the last 5 minutes (a burst), 60 spread over the half hour.
  const inLast5 = recs.map((r, i) => [r, i] as const).filter(([r]) => r.ts >= nowMs - 4 * 60_000);
  const earlier = recs.map((r, i) => [r, i] as const).filter(([r]) => r.ts < nowMs - 6 * 60_000);
  for (let k = 0; k < 40; k++) inLast5[k * 7]![0].status = k % 2 ? 503 : 500;
  for (let k = 0; k < 60; k++) earlier[k * 1000]![0].status = 502;
  expect(recs.filter((r) => r.status >= 500).length).toBe(100);
  return recs;
}

describe("exact SLI, budget and burn rates from a known sequence", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "shop" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  it("shows exactly the expected numbers for every window within 60 s", async () => {
    const now = Date.now();
    const recs = generate(now);
    const avail = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Availability",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
    });
    const lat = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Latency 300",
      endpoint: "GET /cart",
      sli: { type: "latency", thresholdMs: 300 },
      objectivePercent: 95,
      window: { type: "rolling", days: 28 },
    });
    expect([avail.status, lat.status]).toEqual([201, 201]);

    for (let i = 0; i < N; i += 20_000) {
      const res = await stack.app.inject({
        method: "POST",
        url: "/api/v1/ingest/requests",
        headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
        payload: ndjson(recs.slice(i, i + 20_000)),
      });
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ accepted: 20_000, rejected: 0 });
    }
    const ingestedAt = Date.now();

    // The instant the status is asked at: pinned, so the windows are exactly known.
    const at = now;
    const toMs = Math.floor(at / 60_000) * 60_000 + 60_000; // end of the minute that contains `at`
    const expected = (isGood: (r: Rec) => boolean, objective: number, region?: string) => {
      const eps = 1 - objective;
      const mine = recs.filter((r) => !region || r.region === region);
      const count = (fromMs: number) => {
        const w = mine.filter((r) => r.ts >= fromMs && r.ts < toMs);
        const good = w.filter(isGood).length;
        return { good, total: w.length };
      };
      const all = count(toMs - 28 * 86_400_000);
      const burn: Record<string, number> = {};
      for (const [k, m] of Object.entries(WINDOWS_MIN)) {
        const c = count(toMs - m * 60_000);
        burn[k] = (c.total - c.good) / c.total / eps;
      }
      return {
        ...all,
        ratio: all.good / all.total,
        remaining: 1 - (all.total - all.good) / (eps * all.total),
        burn,
      };
    };
    const cases = [
      { id: avail.body!.id, exp: expected((r) => r.status < 500, 0.999) },
      { id: avail.body!.id, region: "prod-us", exp: expected((r) => r.status < 500, 0.999, "prod-us") },
      { id: lat.body!.id, exp: expected((r) => r.durationMs <= 300, 0.95) },
      { id: lat.body!.id, region: "prod-eu", exp: expected((r) => r.durationMs <= 300, 0.95, "prod-eu") },
    ];
    expect(cases[0]!.exp.total - cases[0]!.exp.good).toBe(100);
    expect(cases[0]!.exp.burn["5m"]).toBeGreaterThan(cases[0]!.exp.burn["30m"]!); // the burst shows

    for (const c of cases) {
      const q = `/api/v1/slos/${c.id}/status?at=${new Date(at).toISOString()}${c.region ? `&region=${c.region}` : ""}`;
      const s = await waitFor(
        `status of ${c.id} ${c.region ?? ""} to count every request`,
        async () => {
          const r = await call(stack, "GET", q);
          return r.body?.sli?.total === c.exp.total ? r.body : null;
        },
        60_000,
        200,
      );
      expect(Date.now() - ingestedAt).toBeLessThan(60_000);
      expect(s.sli.good).toBe(c.exp.good);
      expect(s.sli.total).toBe(c.exp.total);
      expect(s.sli.ratio).toBeCloseTo(c.exp.ratio, 12);
      expect(s.errorBudget.bad).toBe(c.exp.total - c.exp.good);
      expect(s.errorBudget.remainingFraction).toBeCloseTo(c.exp.remaining, 9);
      for (const k of Object.keys(WINDOWS_MIN)) expect(s.burnRates[k], k).toBeCloseTo(c.exp.burn[k]!, 9);
    }
  });
});

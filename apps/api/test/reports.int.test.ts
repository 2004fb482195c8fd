import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeSliMinutes } from "@burnrate/db";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";

/**
 * Report endpoints over crafted per-minute SLI data at a fixed "now" (2025-03-20 12:00 UTC):
 * - a timeslice SLO on calendar months whose February holds the book's three depletion episodes (§11.2.4):
 *   70% in 52 h, 50% in 26 h, 25% in 70 h -> 1.3, 1.9 and 0.4 %/h, average 1.2, max 1.9;
 * - an occurrences SLO with March data in two regions and an open page, for the overview.
 */
const NOW = Date.UTC(2025, 2, 20, 12, 0, 0);
const FEB = Date.UTC(2025, 1, 1);
/** February 2025 has 40,320 minutes: this objective allows exactly 1,000 bad minutes in it. */
const OBJECTIVE = 100 * (1 - 1000 / 40_320);

describe("reports", () => {
  let stack: Stack;
  let bookSlo: string;
  let cartSlo: string;
  const regions: Record<string, string> = {};

  async function insertMinutes(
    sloId: string,
    region: string,
    mins: { t: number; good: number; total: number }[],
  ) {
    await storeSliMinutes(
      stack.db,
      mins.map((m) => ({ sloId, regionId: regions[region]!, minuteMs: m.t, good: m.good, total: m.total })),
    );
  }
  /** `bad` bad minutes spread over `hours` whole hours from `start` (each hour gets at least one). */
  function episode(start: number, hours: number, bad: number) {
    const out: { t: number; good: number; total: number }[] = [];
    for (let k = 0; k < hours; k++) {
      const c = Math.floor(((k + 1) * bad) / hours) - Math.floor((k * bad) / hours);
      for (let i = 0; i < c; i++) out.push({ t: start + k * HOUR_MS + i * MINUTE_MS, good: 0, total: 1 });
    }
    return out;
  }

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "identity", name: "Identity" });
    await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" });
    await call(stack, "POST", "/api/v1/services", { slug: "affil", name: "Affiliations", team: "identity" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "payments" });
    for (const slug of ["prod-eu", "prod-us"])
      regions[slug] = (await stack.db.region.create({ data: { slug, name: slug } })).id;
    const a = await call(stack, "POST", "/api/v1/slos", {
      service: "affil",
      name: "Affiliations availability",
      endpoint: "GET /affil",
      sli: { type: "availability" },
      objectivePercent: OBJECTIVE,
      window: { type: "calendar", period: "month" },
      budgetingMethod: "timeslices",
    });
    expect(a.status).toBe(201);
    bookSlo = a.body!.id;
    await insertMinutes(bookSlo, "prod-us", [
      ...episode(FEB + 2 * DAY_MS, 52, 700),
      ...episode(FEB + 9 * DAY_MS, 26, 500),
      ...episode(FEB + 16 * DAY_MS, 70, 250),
      // March so far: two bad minutes, the month is fulfilled so far
      ...episode(Date.UTC(2025, 2, 5), 1, 2),
    ]);
    const c = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
    });
    cartSlo = c.body!.id;
    // Three days of 100 requests a minute per region; prod-eu had 2% errors during the last 30 minutes.
    for (const region of ["prod-eu", "prod-us"]) {
      const mins: { t: number; good: number; total: number }[] = [];
      for (let t = NOW - 3 * DAY_MS; t < NOW; t += MINUTE_MS) {
        const burst = region === "prod-eu" && t >= NOW - 30 * MINUTE_MS;
        mins.push({ t, good: burst ? 98 : 100, total: 100 });
      }
      await insertMinutes(cartSlo, region, mins);
    }
    await stack.db.alert.create({
      data: {
        sloId: cartSlo,
        regionKey: "prod-eu",
        state: "firing",
        severity: "page",
        tiers: [],
        firedAt: new Date(NOW - 10 * MINUTE_MS),
      },
    });
  });
  afterAll(async () => stack?.stop());

  it("reproduces the book's depletion example (§11.2.4): speeds 1.3, 1.9, 0.4, average 1.2, max 1.9", async () => {
    const r = await call(stack, "GET", "/api/v1/reports/indicators?window=previous&service=affil");
    expect(r.status).toBe(200);
    const rows = r.body!.depletion as {
      region: string;
      period: { start: number; end: number };
      remainingAtEnd: number;
      averageSpeedPercentPerHour: number;
      maxSpeedPercentPerHour: number;
      episodes: { start: number; end: number; depletedPercent: number; speedPercentPerHour: number }[];
      adherence: string;
      exhausted: boolean;
      exhaustedAt: number;
    }[];
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.region).toBe("prod-us");
    expect(row.period).toEqual({ start: FEB, end: Date.UTC(2025, 2, 1) });
    expect(row.episodes.map((e) => (e.end - e.start) / HOUR_MS)).toEqual([52, 26, 70]);
    expect(row.episodes.map((e) => Math.round(e.depletedPercent))).toEqual([70, 50, 25]);
    expect(row.episodes.map((e) => e.speedPercentPerHour.toFixed(1))).toEqual(["1.3", "1.9", "0.4"]);
    expect(row.averageSpeedPercentPerHour.toFixed(1)).toBe("1.2");
    expect(row.maxSpeedPercentPerHour.toFixed(1)).toBe("1.9");
    expect(row.remainingAtEnd).toBeCloseTo(-0.45, 9);
    expect(row.adherence).toBe("broken");
    // 30% was left after the first episode; the second (19.2 bad minutes an hour) empties it in its 16th hour.
    expect(row.exhausted).toBe(true);
    expect(new Date(row.exhaustedAt).toISOString()).toBe("2025-02-10T16:00:00.000Z");
    // SLOs by service: a calendar month has an end; rolling windows do not.
    const sbs = r.body!.slosByService as {
      sloId: string;
      windowLabel: string;
      periodDays: number;
      daysLeft: number | null;
    }[];
    expect(sbs).toEqual([
      expect.objectContaining({
        sloId: bookSlo,
        windowLabel: "calendar month",
        periodDays: 31,
        daysLeft: 11.5,
      }),
    ]);
  });

  it("PO grid: last N periods, fulfilled or broken, and the day the budget ran out", async () => {
    const r = await call(stack, "GET", "/api/v1/reports/periods?periods=3&team=identity");
    expect(r.status).toBe(200);
    expect(r.body!.rows).toHaveLength(1);
    const cells = r.body!.rows[0].cells as {
      start: number;
      complete: boolean;
      adherence: string | null;
      exhausted: boolean;
      exhaustedAt: number | null;
      timeToExhaustionHours: number | null;
      remainingAtEnd: number | null;
    }[];
    expect(cells.map((c) => new Date(c.start).toISOString().slice(0, 7))).toEqual([
      "2025-01",
      "2025-02",
      "2025-03",
    ]);
    expect(cells.map((c) => c.adherence)).toEqual([null, "broken", "fulfilled"]);
    expect(cells.map((c) => c.complete)).toEqual([true, true, false]);
    expect(cells[1]!.exhausted).toBe(true);
    expect(cells[1]!.timeToExhaustionHours).toBe(9 * 24 + 16);
    expect(cells[2]!.remainingAtEnd).toBeCloseTo(1 - 2 / (44_640 * (1000 / 40_320)), 9);
    // a rolling window's current period ends "now" and never closes: it is not complete
    const rolling = await call(stack, "GET", "/api/v1/reports/periods?periods=2&team=payments");
    expect(rolling.body!.rows[0].cells.map((c: { complete: boolean }) => c.complete)).toEqual([true, false]);
  });

  it("overview: every SLO × region with the same numbers as the status endpoint, firing first", async () => {
    const r = await call(stack, "GET", "/api/v1/reports/overview");
    expect(r.status).toBe(200);
    const rows = r.body!.rows as Record<string, any>[];
    expect(rows.map((x) => `${x.name}@${x.region}:${x.state}`)).toEqual([
      "Cart availability@prod-eu:firing",
      "Affiliations availability@prod-us:healthy",
      "Cart availability@prod-us:healthy",
    ]);
    for (const row of rows) {
      const st = await call(stack, "GET", `/api/v1/slos/${row.sloId}/status?region=${row.region}`);
      expect(row.good).toBe(st.body!.sli.good);
      expect(row.total).toBe(st.body!.sli.total);
      expect(row.sliRatio).toBeCloseTo(st.body!.sli.ratio, 12);
      expect(row.remainingFraction).toBeCloseTo(st.body!.errorBudget.remainingFraction, 12);
      expect(row.burnRate1h).toBeCloseTo(st.body!.burnRates["1h"], 12);
      expect(row.burnRate6h).toBeCloseTo(st.body!.burnRates["6h"], 12);
      if (st.body!.timeToExhaustionHours === null) expect(row.timeToExhaustionHours).toBeNull();
      else expect(row.timeToExhaustionHours).toBeCloseTo(st.body!.timeToExhaustionHours, 9);
    }
    // The 1 h window ends with the current minute (no data yet): 30 minutes at 2% errors of 59 with data.
    expect(rows[0]!.burnRate1h).toBeCloseTo((30 * 2) / (59 * 100) / 0.001, 9);
    expect(rows[0]!.alertSeverity).toBe("page");
    // filters
    const eu = await call(stack, "GET", "/api/v1/reports/overview?region=prod-eu");
    expect(eu.body!.rows.map((x: { name: string }) => x.name)).toEqual(["Cart availability"]);
    const team = await call(stack, "GET", "/api/v1/reports/overview?team=identity&sli=availability");
    expect(team.body!.rows.map((x: { region: string }) => x.region)).toEqual(["prod-us"]);
    expect(team.body!.teams).toEqual(["identity", "payments"]);
    const none = await call(stack, "GET", "/api/v1/reports/overview?region=prod-jp");
    expect(none.body!.rows).toEqual([]);
  });

  it("overview: an SLO created or removed shows at once, not after the cached answer expires", async () => {
    const before = await call(stack, "GET", "/api/v1/reports/overview");
    const names = (b: typeof before) => (b.body!.rows as { name: string }[]).map((x) => x.name);
    expect(names(before)).not.toContain("Checkout latency, just added");
    const created = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Checkout latency, just added",
      sli: { type: "latency", thresholdMs: 300 },
      objectivePercent: 95,
    });
    expect(created.status).toBe(201);
    expect(names(await call(stack, "GET", "/api/v1/reports/overview"))).toContain(
      "Checkout latency, just added",
    );
    expect((await call(stack, "DELETE", `/api/v1/slos/${created.body!.id}`)).status).toBe(204);
    expect(names(await call(stack, "GET", "/api/v1/reports/overview"))).toEqual(names(before));
  });

  it("indicators come from a cache that an SLO change invalidates at once", async () => {
    const url = "/api/v1/reports/indicators?window=current&service=checkout";
    const first = await call(stack, "GET", url);
    expect(first.status).toBe(200);
    const names = (b: typeof first.body) =>
      (b!.slosByService as { name: string }[]).map((x) => x.name).sort();
    expect(names(first.body)).toEqual(["Cart availability"]);
    // new minutes (a burst of errors) do not show before the answer is a minute old…
    await insertMinutes(cartSlo, "prod-us", [{ t: NOW - 2 * HOUR_MS, good: 0, total: 5000 }]);
    const again = await call(stack, "GET", url);
    expect(again.body).toEqual(first.body);
    // …but a new SLO does, at once
    const created = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Cart availability, strict",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99.99,
      window: { type: "rolling", days: 28 },
    });
    expect(created.status).toBe(201);
    const after = await call(stack, "GET", url);
    expect(names(after.body)).toEqual(["Cart availability", "Cart availability, strict"]);
    // …and the new answer has the new minutes too
    const left = (b: typeof first.body) =>
      (b!.depletion as { name: string; region: string; remainingAtEnd: number }[]).find(
        (r) => r.name === "Cart availability" && r.region === "prod-us",
      )!.remainingAtEnd;
    expect(left(after.body)).toBeLessThan(left(first.body));
    expect((await call(stack, "DELETE", `/api/v1/slos/${created.body!.id as string}`)).status).toBeLessThan(
      300,
    );
    expect(names((await call(stack, "GET", url)).body)).toEqual(["Cart availability"]);
  });

  it("endpoint indicators and bad input", async () => {
    const ind = await call(stack, "GET", "/api/v1/reports/indicators");
    expect(ind.status).toBe(200);
    expect(ind.body!.window.kind).toBe("current");
    for (const [url, field] of [
      ["/api/v1/reports/periods?periods=99", "periods"],
      ["/api/v1/reports/indicators?window=decade", "window"],
      ["/api/v1/reports/overview?sli=throughput", "sli"],
      ["/api/v1/reports/overview?team=Not_A_Slug", "team"],
    ] as const) {
      const bad = await call(stack, "GET", url);
      expect(bad.status, url).toBe(400);
      expect(JSON.stringify(bad.body), url).toContain(field);
    }
    const p = await call(stack, "POST", "/api/v1/slos/preview", {
      service: "nope",
      sli: { type: "availability" },
      objectivePercent: 99.9,
    });
    expect(p.status).toBe(400);
    expect(p.body!.error.message).toContain("service");
    const q = await call(stack, "POST", "/api/v1/slos/preview", {
      service: "checkout",
      sli: { type: "availability" },
      objectivePercent: 100,
    });
    expect(q.status).toBe(400);
    expect(JSON.stringify(q.body)).toContain("objectivePercent");
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

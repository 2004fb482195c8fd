import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATENCY_BUCKETS, latencyBucket, type SlaStatusResponse } from "@burnrate/contracts";
import { upsertRollups, type RollupRow } from "@burnrate/db";
import { DAY_MS, HOUR_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";
import { BOOK_PLAN, LATENCY_MS, figures, solvePeriod, type Ep, type Requests } from "./sla-book-traffic";

/**
 * The book's SLA sample (§11.2.7–11.2.8, Figs 11.10 and 11.11) in 4-week SLA periods of 2024 (ISO week 1 starts
 * on 1 January): P1 1.1–29.1, P2 29.1–26.2, P3 26.2–25.3, and the current P4 ten days old.
 */
const P1 = Date.UTC(2024, 0, 1);
const PERIOD_MS = 28 * DAY_MS;
const NOW = P1 + 3 * PERIOD_MS + 10 * DAY_MS + 12 * HOUR_MS;
const S1_GET = "GET /tenant/{id}/studies/{id}/attachments";
const S1_POST = "POST /tenant/{id}/studies/{id}/attachments";
const S2_STATUS = "GET /tenant/{id}/query/{id}/status";

describe("SLAs: the book's sample", () => {
  let stack: Stack;
  let slaId: string;
  let status: SlaStatusResponse;
  const traffic: Requests[][] = BOOK_PLAN.map(solvePeriod);

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "team-1", name: "Team 1" });
    await call(stack, "POST", "/api/v1/teams", { slug: "team-2", name: "Team 2" });
    await call(stack, "POST", "/api/v1/services", { slug: "service-1", name: "Service 1", team: "team-1" });
    await call(stack, "POST", "/api/v1/services", { slug: "service-2", name: "Service 2", team: "team-2" });
    const created = await call(stack, "POST", "/api/v1/slas", {
      name: "Data roundtrip under 15 seconds for 90% of workflows",
      services: ["service-1", "service-2"],
      sli: { type: "latency", thresholdMs: 15_000 },
      objectivePercent: 90,
      window: { type: "calendar", period: "4w", timeZone: "UTC" },
      tiers: [{ name: "gold", objectivePercent: 95 }],
      credits: "10% of the monthly fee per broken period",
      customers: "all SaaS tenants",
      children: [
        {
          service: "service-1",
          endpoint: S1_GET,
          objectivePercent: 96,
          sli: { type: "latency", thresholdMs: 5000 },
        },
        {
          service: "service-2",
          endpoint: S2_STATUS,
          objectivePercent: 93,
          sli: { type: "latency", thresholdMs: 3000 },
        },
      ],
    });
    expect(created.status).toBe(201);
    slaId = created.body!.id;
    const region = await stack.db.region.create({ data: { slug: "prod-us", name: "Prod-us" } });
    const services = await stack.db.service.findMany({ include: { endpoints: true } });
    const s1 = services.find((s) => s.slug === "service-1")!;
    const s2 = services.find((s) => s.slug === "service-2")!;
    const post = await stack.db.endpoint.create({
      data: { serviceId: s1.id, method: "POST", route: S1_POST.slice(5) },
    });
    const where: Record<Ep, { serviceId: string; endpointId: string }> = {
      s1Get: { serviceId: s1.id, endpointId: s1.endpoints.find((e) => e.method === "GET")!.id },
      s2Status: { serviceId: s2.id, endpointId: s2.endpoints[0]!.id },
      s1Post: { serviceId: s1.id, endpointId: post.id },
    };
    const rows: RollupRow[] = [];
    traffic.forEach((requests, p) => {
      for (const r of requests) {
        const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
        latency[latencyBucket(LATENCY_MS[r.latency])] = r.count;
        rows.push({
          ...where[r.endpoint],
          regionId: region.id,
          minuteMs: P1 + p * PERIOD_MS + r.hour * HOUR_MS,
          status: 200,
          count: r.count,
          latency,
        });
      }
    });
    await upsertRollups(stack.db, rows);
    const res = await call(stack, "GET", `/api/v1/slas/${slaId}/status?periods=4`);
    expect(res.status).toBe(200);
    status = res.body as SlaStatusResponse;
  });
  afterAll(async () => stack?.stop());

  const s1Row = () => status.children.find((c) => c.endpoint === S1_GET)!;
  const s2Row = () => status.children.find((c) => c.endpoint === S2_STATUS)!;

  it("has four 4-week periods starting 1.1, 29.1, 26.2 and 25.3", () => {
    expect(status.contractual.periods.map((p) => new Date(p.start).toISOString().slice(0, 10))).toEqual([
      "2024-01-01",
      "2024-01-29",
      "2024-02-26",
      "2024-03-25",
    ]);
    expect(status.contractual.periods.map((p) => p.complete)).toEqual([true, true, true, false]);
  });

  it("measures each SLA over its own requests (good/total)", () => {
    const p1 = traffic[0]!;
    const sum = (eps: Ep[], bad: string[]) => {
      const mine = p1.filter((r) => eps.includes(r.endpoint));
      const total = mine.reduce((a, r) => a + r.count, 0);
      return {
        total,
        good: total - mine.filter((r) => bad.includes(r.latency)).reduce((a, r) => a + r.count, 0),
      };
    };
    const c = status.contractual.periods[0]!;
    expect({ good: c.good, total: c.total }).toEqual(sum(["s1Get", "s2Status", "s1Post"], ["over15s"]));
    const a = s1Row().periods[0]!;
    expect({ good: a.good, total: a.total }).toEqual(sum(["s1Get"], ["over5s", "over15s"]));
  });

  it("reproduces the depletion table of period 1.1–29.1 (Fig 11.10)", () => {
    const rows = [
      { row: status.contractual, sla: "contractual", book: ["30", "0.3", "0.4"] },
      { row: s1Row(), sla: "s1", book: ["40", "1.0", "1.2"] },
      { row: s2Row(), sla: "s2", book: ["25", "0.7", "0.7"] },
    ] as const;
    for (const { row, sla, book } of rows) {
      const p = row.periods[0]!;
      const derived = figures(sla, traffic[0]!);
      expect(p.remainingAtEnd).toBeCloseTo(derived.remaining, 9);
      expect(p.averageSpeedPercentPerHour).toBeCloseTo(derived.averageSpeed!, 9);
      expect(p.maxSpeedPercentPerHour).toBeCloseTo(derived.maxSpeed!, 9);
      expect([
        (p.remainingAtEnd! * 100).toFixed(0),
        p.averageSpeedPercentPerHour!.toFixed(1),
        p.maxSpeedPercentPerHour!.toFixed(1),
      ]).toEqual(book);
      expect(p.depletionPercent).toBeCloseTo(100 - Number(book[0]), 9);
      expect(p.exhausted).toBe(false);
    }
  });

  it("reproduces the adherence table P1–P3 (Fig 11.11) and attributes the P3 breach to the Service 1 endpoint", () => {
    const adherence = (r: { periods: { adherence: string | null }[] }) =>
      r.periods.slice(0, 3).map((p) => (p.adherence === "fulfilled" ? "F" : "B"));
    expect(adherence(status.contractual)).toEqual(["F", "F", "B"]);
    expect(adherence(s1Row())).toEqual(["F", "F", "B"]);
    expect(adherence(s2Row())).toEqual(["F", "F", "F"]);
    expect(status.contractual.periods.map((p) => p.brokenChildren)).toEqual([[], [], [s1Row().id], []]);
    expect(status.contractual.periods[2]!.exhausted).toBe(true);
  });

  it("judges each tier's objective over the contractual requests", () => {
    // Gold (95%) has half the budget: P1 ends at 1 − 2 × 0.7 = −40%, broken.
    const gold = status.tiers.find((t) => t.name === "gold")!;
    expect(gold.periods[0]!.remainingAtEnd).toBeCloseTo(-0.4, 9);
    expect(gold.periods.slice(0, 3).map((p) => p.adherence)).toEqual(["broken", "fulfilled", "broken"]);
  });

  it("answers the same periods as CSV with Accept: text/csv", async () => {
    const res = await stack.app.inject({
      method: "GET",
      url: `/api/v1/slas/${slaId}/status?periods=4`,
      headers: { authorization: `Bearer ${stack.token}`, accept: "text/csv" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = res.body.trim().split("\n");
    const header = lines[0]!.split(",");
    expect(header.slice(0, 3)).toEqual(["type", "sla", "service"]);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v])));
    expect(rows).toHaveLength(3 * 4);
    const all = [status.contractual, ...status.children].flatMap((r) => r.periods.map((p) => ({ r, p })));
    rows.forEach((row, i) => {
      const { r, p } = all[i]!;
      expect(row.type).toBe(r.kind);
      expect(row.period_start).toBe(new Date(p.start).toISOString());
      expect(Number(row.good)).toBe(p.good);
      expect(Number(row.total)).toBe(p.total);
      expect(Number(row.remaining_at_end)).toBe(p.remainingAtEnd);
      expect(row.adherence).toBe(p.adherence);
      expect(row.average_speed_percent_per_hour).toBe(
        p.averageSpeedPercentPerHour === null ? "" : String(p.averageSpeedPercentPerHour),
      );
    });
    // the SLA page's download link: ?format=csv, the same CSV as an attachment
    const link = await stack.app.inject({
      method: "GET",
      url: `/api/v1/slas/${slaId}/status?periods=4&format=csv`,
      headers: { authorization: `Bearer ${stack.token}` },
    });
    expect(link.headers["content-disposition"]).toBe(`attachment; filename="sla-${slaId}.csv"`);
    expect(link.body).toBe(res.body);
  });

  it("keeps the SLA's fields and validates input with 400s naming the field", async () => {
    const got = await call(stack, "GET", `/api/v1/slas/${slaId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      teams: ["team-1", "team-2"],
      credits: "10% of the monthly fee per broken period",
      customers: "all SaaS tenants",
      thresholds: [50, 80, 100],
      window: { type: "calendar", period: "4w", timeZone: "UTC" },
    });
    const noService = await call(stack, "POST", "/api/v1/slas", {
      name: "x",
      services: ["nope"],
      objectivePercent: 99,
    });
    expect(noService.status).toBe(400);
    expect(JSON.stringify(noService.body)).toContain("services[0]");
    const badChild = await call(stack, "POST", "/api/v1/slas", {
      name: "x",
      services: ["service-1"],
      objectivePercent: 99,
      children: [{ service: "service-2", endpoint: "GET /x", objectivePercent: 99 }],
    });
    expect(badChild.status).toBe(400);
    expect(JSON.stringify(badChild.body)).toContain("children[0].service");
    const badObjective = await call(stack, "POST", "/api/v1/slas", {
      name: "x",
      services: ["service-1"],
      objectivePercent: 100,
    });
    expect(badObjective.status).toBe(400);
    expect(JSON.stringify(badObjective.body)).toContain("objectivePercent");
    const rolling = await call(stack, "POST", "/api/v1/slas", {
      name: "x",
      services: ["service-1"],
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    });
    expect(rolling.status).toBe(400);
    expect(JSON.stringify(rolling.body)).toContain("window");
    const patched = await call(stack, "PATCH", `/api/v1/slas/${slaId}`, { thresholds: [90, 50] });
    expect(patched.status).toBe(200);
    expect(patched.body!.thresholds).toEqual([50, 90]);
    const list = await call(stack, "GET", "/api/v1/slas?service=service-2");
    expect((list.body as unknown as { id: string }[]).map((s) => s.id)).toEqual([slaId]);
    const both = await call(stack, "GET", "/api/v1/slas?service=service-2&team=team-1");
    expect((both.body as unknown as { id: string }[]).map((s) => s.id)).toEqual([slaId]);
    const none = await call(stack, "GET", "/api/v1/slas?service=service-2&team=nobody");
    expect(none.body).toEqual([]);
    const unknown = await call(stack, "GET", "/api/v1/slas/00000000-0000-0000-0000-000000000000/status");
    expect(unknown.status).toBe(404);
  });
});

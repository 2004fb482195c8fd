import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * Customer support ticket counts (book §11.2.9) by API and by CSV upload, per service and month, and their
 * trend with growth rates, at a fixed "now" (2026-04-15).
 */
const NOW = Date.UTC(2026, 3, 15, 12, 0, 0);

describe("support ticket trend", () => {
  let stack: Stack;
  const csv = (body: string) =>
    stack.app.inject({
      method: "POST",
      url: "/api/v1/support-tickets/csv",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "text/csv" },
      payload: body,
    });

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "pay", name: "Payments" });
    await call(stack, "POST", "/api/v1/teams", { slug: "id", name: "Identity" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "pay" });
    await call(stack, "POST", "/api/v1/services", { slug: "login", name: "Login", team: "id" });
  });
  afterAll(async () => stack?.stop());

  it("takes counts by API and by CSV, and reports growth per service and overall", async () => {
    const put = await call(stack, "PUT", "/api/v1/support-tickets", {
      entries: [
        { service: "checkout", month: "2026-01", count: 40 },
        { service: "checkout", month: "2026-02", count: 30 },
        { service: "login", month: "2026-02", count: 10 },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ written: 3 });
    const up = await csv(
      "service,month,count\ncheckout,2026-03,36\r\ncheckout,2026-04,54\nlogin,2026-03,5\n",
    );
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ written: 3 });
    // a second upload of a month replaces it
    expect((await csv("month,count,service\n2026-04,20,login\n2026-04,15,login\n")).statusCode).toBe(200);

    const r = await call(stack, "GET", "/api/v1/reports/support-tickets?months=4");
    expect(r.status).toBe(200);
    const body = r.body as {
      from: string;
      to: string;
      overall: { points: { month: string; count: number; growthRate: number | null }[]; total: number };
      services: {
        service: string;
        team: string;
        averageGrowthRate: number;
        direction: string;
        points: { count: number; growthRate: number | null }[];
      }[];
    };
    expect([body.from, body.to]).toEqual(["2026-01", "2026-04"]);
    const checkout = body.services.find((s) => s.service === "checkout")!;
    expect(checkout.team).toBe("pay");
    expect(checkout.points.map((p) => p.count)).toEqual([40, 30, 36, 54]);
    expect(checkout.points.map((p) => p.growthRate)).toEqual([null, -0.25, 0.2, 0.5]);
    expect(checkout.averageGrowthRate).toBeCloseTo((-0.25 + 0.2 + 0.5) / 3, 12);
    expect(checkout.direction).toBe("up");
    const login = body.services.find((s) => s.service === "login")!;
    expect(login.points.map((p) => p.count)).toEqual([0, 10, 5, 15]);
    expect(login.points.map((p) => p.growthRate)).toEqual([null, null, -0.5, 2]);
    expect(body.overall.points.map((p) => p.count)).toEqual([40, 40, 41, 69]);
    expect(body.overall.total).toBe(190);
    // a team's services only
    const pay = await call(stack, "GET", "/api/v1/reports/support-tickets?months=4&team=pay");
    expect(pay.body!.services.map((s: { service: string }) => s.service)).toEqual(["checkout"]);
    expect(pay.body!.overall.total).toBe(160);
  });

  it("refuses bad input with a 400 naming the field or the line", async () => {
    const bad = [
      { entries: [{ service: "checkout", month: "2026-13", count: 1 }] },
      { entries: [{ service: "checkout", month: "2026-01", count: -1 }] },
      { entries: [{ service: "checkout", month: "2026-01", count: 1.5 }] },
      { entries: [] },
      { entries: [{ service: "nope", month: "2026-01", count: 1 }] },
      { entries: [{ service: "checkout", month: "2026-01", count: 1, person: "alice" }] },
    ];
    for (const b of bad) {
      const r = await call(stack, "PUT", "/api/v1/support-tickets", b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(b)).toMatch(/month|count|entries|service|person/);
    }
    const noHeader = await csv("checkout,2026-01,3\n");
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().error.message).toContain("service,month,count");
    const badLine = await csv("service,month,count\ncheckout,2026-01,3\ncheckout,Jan 2026,4\n");
    expect(badLine.statusCode).toBe(400);
    expect(badLine.json().error.message).toContain("line 3, field 'month'");
    const badCount = await csv("service,month,count\ncheckout,2026-01,many\n");
    expect(badCount.json().error.message).toContain("line 2, field 'count'");
    const unknown = await csv("service,month,count\nghost,2026-01,3\n");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain("entries[0].service");
    const q = await call(stack, "GET", "/api/v1/reports/support-tickets?months=99");
    expect(q.status).toBe(400);
    expect(JSON.stringify(q.body)).toContain("months");
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

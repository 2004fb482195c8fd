import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * The SLO editor's preview (POST /api/v1/slos/preview) against a real worker: what the preview shows is what
 * the SLO shows once saved and backfilled (same SLI, same budget), replayed pages, and the §6.6.2 guardrail.
 */
describe("SLO editor preview", () => {
  let stack: Stack;
  const now = Date.now();

  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "payments" });
    // 6 hours, 30 requests a minute per region: 0.5% of GET /cart fail, and 30% fail for 20 minutes an hour ago.
    const recs: object[] = [];
    for (let m = 360; m > 0; m--) {
      const t = now - m * 60_000;
      for (let i = 0; i < 30; i++)
        for (const region of ["prod-eu", "prod-us"]) {
          const bad = (m * 30 + i) % 200 === 0 || (region === "prod-eu" && m > 60 && m <= 80 && i % 10 < 3);
          recs.push({
            ts: t + i * 1900,
            service: "checkout",
            endpoint: "GET /cart",
            region,
            status: bad ? 503 : 200,
            durationMs: 20 + ((i * 53) % 400),
          });
        }
    }
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: ndjson(recs),
    });
    expect(JSON.parse(res.body).rejected).toBe(0);
  });
  afterAll(async () => stack?.stop());

  const proposal = {
    service: "checkout",
    endpoint: "GET /cart",
    sli: { type: "availability" },
    objectivePercent: 99,
    window: { type: "rolling", days: 28 },
    budgetingMethod: "occurrences",
  };

  it("shows the same SLI and budget as the saved SLO", async () => {
    const p = await waitFor("rollups", async () => {
      const r = await call(stack, "POST", "/api/v1/slos/preview", proposal);
      return r.status === 200 && r.body!.status.sli.total === 360 * 30 * 2 ? r : null;
    });
    const preview = p.body!;
    expect(preview.points.some((x: { total: number }) => x.total > 0)).toBe(true);
    expect(preview.to - preview.from).toBeGreaterThanOrEqual(28 * 86_400_000);
    const created = await call(stack, "POST", "/api/v1/slos", { ...proposal, name: "Cart availability" });
    expect(created.status).toBe(201);
    const id = created.body!.id as string;
    const status = await waitFor("the backfill", async () => {
      const slo = await call(stack, "GET", `/api/v1/slos/${id}`);
      if (slo.body!.backfillPercent < 100) return null;
      const st = await call(stack, "GET", `/api/v1/slos/${id}/status`);
      return st.body!.sli.total === preview.status.sli.total ? st.body! : null;
    });
    expect(status.sli.good).toBe(preview.status.sli.good);
    expect(status.sli.ratio).toBeCloseTo(preview.status.sli.ratio, 12);
    expect(status.errorBudget.remainingFraction).toBeCloseTo(
      preview.status.errorBudget.remainingFraction,
      12,
    );
    expect(status.errorBudget.allowed).toBeCloseTo(preview.status.errorBudget.allowed, 9);
    // …and the saved SLO's series has the same points as the preview where both have them
    const series = await call(
      stack,
      "GET",
      `/api/v1/slos/${id}/series?from=${preview.from}&to=${preview.to}`,
    );
    const byT = new Map(
      (series.body!.points as { t: number; good: number; total: number }[]).map((x) => [x.t, x]),
    );
    const withData = (preview.points as { t: number; good: number; total: number }[]).filter(
      (x) => x.total > 0,
    );
    expect(withData.length).toBeGreaterThan(0);
    for (const x of withData) expect(byT.get(x.t)).toMatchObject({ good: x.good, total: x.total });
  });

  it("counts the pages the tiers would have sent and warns when the objective is stricter than history", async () => {
    const loose = await call(stack, "POST", "/api/v1/slos/preview", { ...proposal, objectivePercent: 95 });
    expect(loose.body!.replay.pages).toBe(0);
    expect(loose.body!.guardrail.stricterThanHistory).toBe(false);
    const strict = await call(stack, "POST", "/api/v1/slos/preview", {
      ...proposal,
      objectivePercent: 99.99,
    });
    expect(strict.status).toBe(200);
    expect(strict.body!.replay.pages).toBeGreaterThanOrEqual(1);
    expect(strict.body!.guardrail.stricterThanHistory).toBe(true);
    expect(strict.body!.guardrail.daysWithData).toBeGreaterThanOrEqual(1);
    expect(strict.body!.guardrail.bestSli).toBeLessThan(0.9999);
    // an endpoint nobody called yet: a valid proposal without data
    const none = await call(stack, "POST", "/api/v1/slos/preview", { ...proposal, endpoint: "GET /never" });
    expect(none.status).toBe(200);
    expect(none.body!.status.sli.total).toBe(0);
    expect(none.body!.guardrail.daysWithData).toBe(0);
    const bad = await call(stack, "POST", "/api/v1/slos/preview", { ...proposal, endpoint: "cart" });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toContain("endpoint");
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

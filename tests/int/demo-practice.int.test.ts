import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../scripts/simulate/catalog.ts";
import { seedPractice } from "../../scripts/simulate/practice.ts";
import { call, ndjson, startStack, type Stack } from "../../apps/api/test/harness";

/**
 * `npm start`'s demo practice (an SLA, a status page, a resolved P1 incident with its roles and its messages to
 * ring 1, the stakeholder rings, on call), seeded through the real API.
 */
describe("the demo's SRE practice", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({});
  });
  afterAll(async () => stack?.stop());

  it("is created once, through the API, and a second run changes nothing", async () => {
    const api = { url: stack.baseUrl, token: stack.token };
    const log = () => {};
    await seedCatalog(api, log);
    // the regions come from traffic, as in the demo's backfill
    const now = Date.now();
    const res = await fetch(`${stack.baseUrl}/api/v1/ingest/requests`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      body: ndjson(
        ["prod-eu", "prod-us"].map((region) => ({
          ts: now - 60_000,
          service: "checkout",
          endpoint: "GET /cart",
          region,
          status: 200,
          durationMs: 40,
        })),
      ),
    });
    expect(res.status).toBe(200);

    const first = await seedPractice(api, now);
    expect(first.created.sort()).toEqual([
      "SLA Checkout and payments contract",
      "escalation policy Payments pages",
      "incident",
      "schedule Payments business hours",
      "schedule prod-eu out of hours",
      "stakeholder ring 1",
      "stakeholder ring 2",
      "stakeholder ring 3",
      "stakeholder ring 4",
      "status page /status/shop",
    ]);
    const second = await seedPractice(api, now);
    expect(second.created).toEqual([]);
    expect(second.existing.sort()).toEqual(first.created);

    const slas = await call(stack, "GET", "/api/v1/slas");
    expect((slas.body as unknown as { name: string }[]).map((s) => s.name)).toEqual([
      "Checkout and payments contract",
    ]);
    const list = await call(stack, "GET", "/api/v1/incidents?state=resolved");
    const items = (list.body!.items ?? list.body) as { id: string; title: string }[];
    expect(items).toHaveLength(1);
    const incident = await call(stack, "GET", `/api/v1/incidents/${items[0]!.id}`);
    expect(incident.body).toMatchObject({ state: "resolved", priority: "P1" });
    // started 52 minutes before `now`, resolved during the test
    expect(incident.body!.ttrMinutes).toBeGreaterThanOrEqual(52);
    expect(incident.body!.ttrMinutes).toBeLessThan(60);
    // recorded at their own times: detected (and acknowledged, opened by a person) 6 minutes into the impact,
    // identified 8 minutes later, monitoring 18 minutes after that, resolved at the end
    const b = incident.body!;
    const at = (iso: string) => Date.parse(iso);
    expect((at(b.detectedAt) - at(b.startedAt)) / 60_000).toBe(6);
    expect(b.acknowledgedAt).toBe(b.detectedAt);
    const states = (b.timeline as { kind: string; state: string | null; at: string }[])
      .filter((e) => e.kind === "state")
      .map((e) => [e.state, Math.round((at(e.at) - at(b.startedAt)) / 60_000)]);
    expect(states.slice(0, 2)).toEqual([
      ["identified", 14],
      ["monitoring", 32],
    ]);
    expect(states[2]![0]).toBe("resolved");
    expect(at(b.resolvedAt!) - at(b.detectedAt)).toBeGreaterThan(45 * 60_000);
    expect(incident.body!.roles).toEqual({
      commander: "ana.rivera@burnrate.local",
      communicationsLead: "bo.chen@burnrate.local",
      opsLead: "cy.okafor@burnrate.local",
    });
    // ring 1 got the first and the last message; ring 2 (60 min) was not told, the incident being shorter
    const told = (await call(stack, "GET", `/api/v1/incidents/${items[0]!.id}/notifications`))
      .body as unknown as { ring: { number: number }; kind: string; ttrMinutes: number | null }[];
    expect(told.map((n) => `${n.ring.number}:${n.kind}`)).toEqual(["1:first", "1:last"]);
    expect(told[1]!.ttrMinutes).toBe(incident.body!.ttrMinutes);
    const rings = (await call(stack, "GET", "/api/v1/stakeholder-rings")).body as unknown as {
      number: number;
      escalateAfterMinutes: number | null;
    }[];
    expect(rings.map((r) => [r.number, r.escalateAfterMinutes])).toEqual([
      [1, null],
      [2, 60],
      [3, 120],
      [4, 240],
    ]);
    // on call: the team's rotation by day, the region's out of hours, and the team's default policy
    const schedules = (await call(stack, "GET", "/api/v1/schedules")).body as unknown as {
      id: string;
      name: string;
      scope: string;
    }[];
    expect(schedules.map((x) => [x.name, x.scope]).sort()).toEqual([
      ["Payments business hours", "team"],
      ["prod-eu out of hours", "region"],
    ]);
    for (const sch of schedules) {
      const on = await call(stack, "GET", `/api/v1/schedules/${sch.id}/oncall?at=2026-12-07T12:00:00Z`);
      expect(on.status).toBe(200);
    }
    const business = schedules.find((x) => x.scope === "team")!;
    const monday = await call(
      stack,
      "GET",
      `/api/v1/schedules/${business.id}/oncall?at=2026-12-07T12:00:00Z`,
    );
    expect(String(monday.body!.positions.main.email)).toMatch(/@burnrate\.local$/);
    const policies = await call(stack, "GET", "/api/v1/escalation-policies?team=payments");
    const policyList = (policies.body!.items ?? policies.body) as { name: string; steps: unknown[] }[];
    expect(policyList.map((x) => [x.name, x.steps.length])).toEqual([["Payments pages", 3]]);
    const page = await fetch(`${stack.baseUrl}/status/shop.json`);
    expect(page.status).toBe(200);
    const json = (await page.json()) as { components: { name: string }[] };
    expect(json.components.map((c) => c.name)).toEqual([
      "Checkout (Europe)",
      "Checkout (Americas)",
      "Payments",
      "Search",
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR_MS } from "@burnrate/slo-core";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/** The clock the API and the worker read: it runs at real speed from six hours before the end of a month (UTC). */
let base = Date.parse("2026-11-30T18:00:00Z");
const t0 = Date.now();
const clock = () => base + (Date.now() - t0);

const signatures = [
  { name: "Dana Dev", role: "developer", date: "2026-11-01" },
  { name: "Omar Ops", role: "operations", date: "2026-11-02" },
  { name: "Paula PO", role: "product_owner", date: "2026-11-03" },
];
const policy = (agreedBy: typeof signatures) => ({
  scope: "All services of the team in production regions",
  purpose: "Balance reliability work and feature work with the error budget",
  conditions: [
    {
      id: "consumed-70",
      type: "consumed",
      percent: 70,
      consequences: [{ type: "release_freeze", regions: ["prod-eu"] }],
    },
    {
      id: "fast-burn-30-24h",
      type: "burned_within",
      percent: 30,
      hours: 24,
      consequences: [{ type: "notify" }],
    },
    {
      id: "postmortem",
      type: "manual",
      text: "An outage needs a postmortem",
      consequences: [{ type: "manual", text: "Write the postmortem" }],
    },
  ],
  escalation: "Disagreements go to the head of engineering",
  agreedBy,
  nextReviewAt: "2027-02-01",
  reason: "first version, agreed in the November review",
});

/** Ten hours of traffic ending at the clock: prod-eu spends 75% of a 99% SLO's budget, prod-us nothing. */
function traffic(service: string) {
  const recs: object[] = [];
  for (let i = 0; i < 10_000; i++) {
    const ts = clock() - 10 * HOUR_MS + i * 3600;
    recs.push({
      ts,
      service,
      method: "GET",
      route: "/pay",
      region: "prod-eu",
      status: i % 100 === 0 && i / 100 < 75 ? 500 : 200,
      durationMs: 20,
    });
    recs.push({ ts, service, method: "GET", route: "/pay", region: "prod-us", status: 200, durationMs: 20 });
  }
  return recs;
}

describe("error budget policies in force", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000, now: clock });
    for (const [team, svc] of [
      ["payments", "pay"],
      ["unsigned", "pay-unsigned"],
    ] as const) {
      await call(stack, "POST", "/api/v1/teams", { slug: team, name: team, slackChannel: `#${team}-slo` });
      await call(stack, "POST", "/api/v1/services", { slug: svc, name: svc, team });
      const slo = await call(stack, "POST", "/api/v1/slos", {
        service: svc,
        name: `${svc} availability`,
        sli: { type: "availability" },
        objectivePercent: 99,
        window: { type: "calendar", period: "month", timeZone: "UTC" },
      });
      expect(slo.status).toBe(201);
    }
    expect(
      (await call(stack, "PUT", "/api/v1/teams/payments/policy", policy(signatures))).body,
    ).toMatchObject({ inForce: true, missingSignatures: [] });
    const unsigned = await call(
      stack,
      "PUT",
      "/api/v1/teams/unsigned/policy",
      policy(signatures.slice(0, 2)),
    );
    expect(unsigned.body).toMatchObject({ inForce: false, missingSignatures: ["product_owner"] });
    for (const svc of ["pay", "pay-unsigned"]) {
      const r = await stack.app.inject({
        method: "POST",
        url: "/api/v1/ingest/requests",
        headers: { authorization: `Bearer ${stack.token}` },
        payload: ndjson(traffic(svc)),
      });
      expect(JSON.parse(r.body)).toMatchObject({ accepted: 20_000, rejected: 0 });
    }
  });
  afterAll(async () => stack?.stop());

  it("opens enactments, freezes prod-eu only, notifies once, lets one silver bullet through, and reopens the gate next period", async () => {
    // The first evaluation of 20,000 requests, then a policy pass: seconds alone; on a starved machine it has
    // taken over a minute, so the wait is long and a timeout says where evaluation stood.
    const open = await waitFor(
      "two open enactments",
      async () => {
        const r = await call(stack, "GET", "/api/v1/teams/payments/policy/enactments?open=true");
        return (r.body as unknown as unknown[]).length >= 2
          ? (r.body as unknown as {
              conditionId: string;
              region: string;
              detail: { consumedPercent: number; burnedPercent: number };
            }[])
          : null;
      },
      150_000,
    ).catch(async (e: unknown) => {
      const enactments = await call(stack, "GET", "/api/v1/teams/payments/policy/enactments");
      const runs = await stack.db.evaluationRun.findMany({ orderBy: { at: "desc" }, take: 5 });
      const hours = await stack.db.sliHour.count();
      throw new Error(
        `${(e as Error).message}; enactments ${JSON.stringify(enactments.body)}; last evaluations ${JSON.stringify(runs)}; SLI hours ${hours}`,
      );
    });
    expect(open.map((e) => e.conditionId).sort()).toEqual(["consumed-70", "fast-burn-30-24h"]);
    expect(open.every((e) => e.region === "prod-eu")).toBe(true);
    const consumed = open.find((e) => e.conditionId === "consumed-70")!;
    expect(consumed.detail.consumedPercent).toBeCloseTo(75, 6);
    expect(open.find((e) => e.conditionId === "fast-burn-30-24h")!.detail.burnedPercent).toBeCloseTo(75, 6);

    const eu = await call(stack, "GET", "/api/v1/release-gate?service=pay&region=prod-eu");
    expect(eu.body).toMatchObject({ allowed: false, silverBulletsLeft: 3 });
    expect(eu.body!.reasons.join(" ")).toMatch(
      /SLO 'pay availability' in prod-eu: 75% of the period budget consumed \(policy: ≥ 70%\)/,
    );
    expect((await call(stack, "GET", "/api/v1/release-gate?service=pay&region=prod-us")).body).toMatchObject({
      allowed: true,
      reasons: [],
    });

    // The notify consequence reaches Slack once, however many cycles run.
    await waitFor("the notification", async () =>
      stack.slack.topLevel("#payments-slo").some((m) => m.text.includes("Error budget policy")),
    );
    const runs = await stack.db.evaluationRun.count();
    await waitFor(
      "three more cycles",
      async () => (await stack.db.evaluationRun.count()) >= runs + 3,
      30_000,
    );
    expect(
      stack.slack.topLevel("#payments-slo").filter((m) => m.text.includes("Error budget policy")),
    ).toHaveLength(1);

    // A silver bullet lets exactly one deployment through, and is counted.
    const bullet = await call(stack, "POST", "/api/v1/release-gate/overrides", {
      service: "pay",
      region: "prod-eu",
      reason: "hotfix for the outage itself",
    });
    expect(bullet.status).toBe(201);
    expect(bullet.body!.silverBulletsLeft).toBe(2);
    const through = await call(stack, "GET", "/api/v1/release-gate?service=pay&region=prod-eu");
    expect(through.body).toMatchObject({ allowed: true, silverBulletsLeft: 2 });
    expect(through.body!.reasons.join(" ")).toContain("silver bullet");
    expect(
      (
        await call(stack, "POST", "/api/v1/deployments", {
          service: "pay",
          region: "prod-eu",
          version: "v2.0.1-hotfix",
        })
      ).status,
    ).toBe(201);
    expect((await call(stack, "GET", "/api/v1/release-gate?service=pay&region=prod-eu")).body).toMatchObject({
      allowed: false,
      silverBulletsLeft: 2,
    });
    const audit = (await call(stack, "GET", "/api/v1/audit?team=payments")).body as unknown as {
      action: string;
    }[];
    expect(audit.filter((a) => a.action === "silver_bullet")).toHaveLength(1);

    // The period rolls over: the budget is back to 100%, the enactments close, the gate opens.
    base += Date.parse("2026-12-01T00:05:00Z") - clock();
    await waitFor("the enactments to close", async () => {
      const r = await call(stack, "GET", "/api/v1/teams/payments/policy/enactments?open=true");
      return (r.body as unknown as unknown[]).length === 0;
    });
    expect((await call(stack, "GET", "/api/v1/release-gate?service=pay&region=prod-eu")).body).toMatchObject({
      allowed: true,
      reasons: [],
    });
    const all = (await call(stack, "GET", "/api/v1/teams/payments/policy/enactments")).body as unknown as {
      closedAt: string | null;
    }[];
    expect(all.filter((e) => e.closedAt !== null).length).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it("a policy missing a signature is not in force and enacts nothing", async () => {
    const runs = await stack.db.evaluationRun.count();
    await waitFor("three cycles", async () => (await stack.db.evaluationRun.count()) >= runs + 3, 30_000);
    expect((await call(stack, "GET", "/api/v1/teams/unsigned/policy/enactments")).body).toEqual([]);
    const gate = await call(stack, "GET", "/api/v1/release-gate?service=pay-unsigned&region=prod-eu");
    expect(gate.body!.allowed).toBe(true);
    expect(gate.body!.reasons.join(" ")).toContain("not in force");
  });

  it("manual conditions are enacted and closed by a team editor with a reason", async () => {
    const e = await call(stack, "POST", "/api/v1/teams/payments/policy/enactments", {
      conditionId: "postmortem",
      reason: "checkout outage of Nov 30",
    });
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ manual: true, conditionId: "postmortem", closedAt: null });
    expect(
      (
        await call(stack, "POST", "/api/v1/teams/payments/policy/enactments", {
          conditionId: "postmortem",
          reason: "again",
        })
      ).status,
    ).toBe(409);
    const auto = await call(stack, "POST", "/api/v1/teams/payments/policy/enactments", {
      conditionId: "consumed-70",
      reason: "by hand",
    });
    expect(auto.status).toBe(400);
    expect(auto.body!.error.message).toContain("conditionId");
    const closedE = await call(
      stack,
      "POST",
      `/api/v1/teams/payments/policy/enactments/${e.body!.id}/close`,
      { reason: "postmortem published" },
    );
    expect(closedE.status).toBe(200);
    expect(closedE.body!.closedAt).not.toBeNull();
  });

  it.each([
    { name: "no conditions", patch: { conditions: [] }, field: "conditions" },
    {
      name: "percent above 100",
      patch: { conditions: [{ id: "x", type: "consumed", percent: 120 }] },
      field: "conditions.0.percent",
    },
    {
      name: "unknown consequence",
      patch: { conditions: [{ id: "x", type: "exhausted", consequences: [{ type: "party" }] }] },
      field: "conditions.0.consequences.0.type",
    },
    {
      name: "duplicate condition ids",
      patch: {
        conditions: [
          { id: "x", type: "exhausted" },
          { id: "x", type: "exhausted" },
        ],
      },
      field: "conditions.1.id",
    },
    {
      name: "bad signature role",
      patch: { agreedBy: [{ name: "A", role: "ceo", date: "2026-11-01" }] },
      field: "agreedBy.0.role",
    },
    { name: "missing reason", patch: { reason: undefined }, field: "reason" },
  ])("a bad policy ($name) is a 400 naming the field", async ({ patch, field }) => {
    const r = await call(stack, "PUT", "/api/v1/teams/payments/policy", { ...policy(signatures), ...patch });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(field);
  });

  it.each([
    { url: "/api/v1/release-gate?service=pay", field: "region" },
    { url: "/api/v1/release-gate?region=prod-eu", field: "service" },
    { url: "/api/v1/release-gate?service=Not_A_Slug&region=prod-eu", field: "service" },
  ])("a bad gate query ($url) is a 400 naming $field", async ({ url, field }) => {
    const r = await call(stack, "GET", url);
    expect(r.status).toBe(400);
    expect(r.body!.error.message).toContain(field);
  });
});

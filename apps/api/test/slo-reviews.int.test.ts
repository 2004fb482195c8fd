import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * SLO reviews on a fixed clock: each SLO is due for review its cadence (91 days by default) after its last
 * review, or after its creation when never reviewed. Due within four weeks: "due"; past it: "overdue". A review
 * keeps the objective, or tightens or loosens it through the SLO's own change path (a new version).
 */
const DAY_MS = 24 * 60 * 60 * 1000;
let now = Date.parse("2026-12-06T09:30:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

let stack: Stack;
const ids: Record<string, string> = {};

type DueItem = {
  sloId: string;
  name: string;
  state: string;
  dueAt: string;
  daysLeft: number;
  lastReviewedAt: string | null;
};

async function createSlo(name: string, createdAt: string, objectivePercent: number, extra: object = {}) {
  const r = await call(stack, "POST", "/api/v1/slos", {
    service: "shop",
    name,
    sli: { type: "availability" },
    objectivePercent,
    ...extra,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body!.id as string;
  // the SLO's creation day, as if made then
  await stack.db.slo.update({ where: { id }, data: { createdAt: new Date(createdAt) } });
  return id;
}

const adoptionPhase = async () => {
  const r = await call(stack, "GET", "/api/v1/reports/adoption?team=rev");
  expect(r.status).toBe(200);
  const team = (r.body!.teams as { phases: { phase: string; state: string; source: string | null }[] }[])[0]!;
  return team.phases.find((p) => p.phase === "slos_reviewed")!;
};

beforeAll(async () => {
  stack = await startStack({ now: () => now });
  expect((await call(stack, "POST", "/api/v1/teams", { slug: "rev", name: "Reviewers" })).status).toBe(201);
  expect(
    (await call(stack, "POST", "/api/v1/services", { slug: "shop", name: "Shop", team: "rev" })).status,
  ).toBe(201);
  // due 2026-10-31 (91 days): overdue by 36 days and 9.5 hours
  ids.a = await createSlo("A checkout", "2026-08-01T00:00:00Z", 99.9);
  // due 2026-12-20: within four weeks
  ids.b = await createSlo("B cart", "2026-09-20T00:00:00Z", 99.9);
  // due 2027-01-31: not yet
  ids.c = await createSlo("C search", "2026-11-01T00:00:00Z", 99);
  // every 30 days: due 2026-12-01, overdue
  ids.d = await createSlo("D login", "2026-11-01T00:00:00Z", 99.5, { reviewEveryDays: 30 });
}, 120_000);
afterAll(async () => stack?.stop());

describe("SLO reviews", () => {
  it("computes due and overdue reviews at a fixed clock, on each SLO's cadence", async () => {
    const slo = await call(stack, "GET", `/api/v1/slos/${ids.a}`);
    expect(slo.body!.reviewEveryDays).toBe(91);
    expect((await call(stack, "GET", `/api/v1/slos/${ids.d}`)).body!.reviewEveryDays).toBe(30);

    const team = await call(stack, "GET", "/api/v1/teams/rev/slo-reviews");
    expect(team.status).toBe(200);
    expect(
      (team.body!.slos as DueItem[]).map((s) => [s.name, s.state, s.dueAt, s.daysLeft, s.lastReviewedAt]),
    ).toEqual([
      ["A checkout", "overdue", "2026-10-31T00:00:00.000Z", -37, null],
      ["D login", "overdue", "2026-12-01T00:00:00.000Z", -6, null],
      ["B cart", "due", "2026-12-20T00:00:00.000Z", 13, null],
    ]);
    const c = await call(stack, "GET", `/api/v1/slos/${ids.c}/reviews`);
    expect(c.status).toBe(200);
    expect(c.body!.review).toMatchObject({ state: "ok", dueAt: "2027-01-31T00:00:00.000Z", daysLeft: 55 });
    expect(c.body!.reviews).toEqual([]);
    // the adoption phase is not reached: no review yet, and two are overdue
    expect(await adoptionPhase()).toMatchObject({ state: "open", source: null });
  });

  it("lists them in the team's newsletter for a week, as at the week's end", async () => {
    const r = await call(stack, "GET", "/api/v1/teams/rev/newsletter?week=2026-11-23");
    expect(r.status).toBe(200);
    const content = r.body!.content as { sloReviews: { name: string; dueOn: string; overdue: boolean }[] };
    // at 2026-11-30 00:00: A overdue; B due on 2026-12-20 and D on 2026-12-01 (within four weeks); C not yet
    expect(content.sloReviews.map((s) => [s.name, s.dueOn, s.overdue])).toEqual([
      ["A checkout", "2026-10-31", true],
      ["D login", "2026-12-01", false],
      ["B cart", "2026-12-20", false],
    ]);
    const email = r.body!.email as { text: string; html: string };
    const slack = r.body!.slack as { blocks: { text?: { text: string } }[] };
    expect(email.text).toContain("- shop / A checkout: SLO review overdue since 2026-10-31");
    expect(email.text).toContain("- shop / B cart: SLO review due 2026-12-20");
    expect(email.html).toContain("SLO reviews coming up");
    expect(slack.blocks.some((b) => b.text?.text.startsWith("*SLO reviews coming up*"))).toBe(true);
  });

  it("records a keep: no new version, and the next review is a cadence after it", async () => {
    const r = await call(stack, "POST", `/api/v1/slos/${ids.a}/reviews`, {
      outcome: "keep",
      reason: "burn has been well within budget; users do not complain",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      sloId: ids.a,
      outcome: "keep",
      objectiveBefore: 99.9,
      objectiveAfter: 99.9,
      version: 1,
      reviewedAt: iso(now),
    });
    const versions = await call(stack, "GET", `/api/v1/slos/${ids.a}/versions`);
    expect((versions.body as unknown as unknown[]).length).toBe(1);
    const a = await call(stack, "GET", `/api/v1/slos/${ids.a}/reviews`);
    expect(a.body!.review).toMatchObject({
      state: "ok",
      lastReviewedAt: iso(now),
      dueAt: iso(now + 91 * DAY_MS),
    });
    expect((a.body!.reviews as { reason: string }[]).map((x) => x.reason)).toEqual([
      "burn has been well within budget; users do not complain",
    ]);
  });

  it("records a tighten and a loosen as new SLO versions with the objective and the review's reason", async () => {
    const t = await call(stack, "POST", `/api/v1/slos/${ids.b}/reviews`, {
      outcome: "tighten",
      reason: "the cart has run at 99.97% for two quarters",
      objectivePercent: 99.95,
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body).toMatchObject({
      outcome: "tighten",
      objectiveBefore: 99.9,
      objectiveAfter: 99.95,
      version: 2,
    });
    const b = await call(stack, "GET", `/api/v1/slos/${ids.b}`);
    expect(b.body).toMatchObject({ objectivePercent: 99.95, version: 2 });
    const versions = (await call(stack, "GET", `/api/v1/slos/${ids.b}/versions`)).body as unknown as {
      version: number;
      reason: string;
      changes: { field: string; before: unknown; after: unknown }[];
    }[];
    expect(versions.at(-1)).toMatchObject({
      version: 2,
      reason: "review (tighten): the cart has run at 99.97% for two quarters",
      changes: [{ field: "objectivePercent", before: 99.9, after: 99.95 }],
    });
    // the audit log has the SLO's change and the review
    const audit = await stack.db.auditLog.findMany({
      where: { entityId: { in: [ids.b!, t.body!.id as string] } },
    });
    expect(audit.map((x) => `${x.entity}:${x.action}`).sort()).toEqual([
      "slo:create",
      "slo:update",
      "slo_review:create",
    ]);

    now += DAY_MS;
    const l = await call(stack, "POST", `/api/v1/slos/${ids.d}/reviews`, {
      outcome: "loosen",
      reason: "the identity provider's own SLO is 99.5%; we cannot beat it",
      objectivePercent: 99.25,
    });
    expect(l.status, JSON.stringify(l.body)).toBe(201);
    expect(l.body).toMatchObject({
      objectiveBefore: 99.5,
      objectiveAfter: 99.25,
      version: 2,
      reviewedAt: iso(now),
    });
    expect((await call(stack, "GET", `/api/v1/slos/${ids.d}`)).body).toMatchObject({
      objectivePercent: 99.25,
      version: 2,
    });
    // nothing left overdue or due in the team
    const team = await call(stack, "GET", "/api/v1/teams/rev/slo-reviews");
    expect(team.body!.slos).toEqual([]);
  });

  it("derives the adoption phase 'SLOs reviewed on time' from the reviews", async () => {
    expect(await adoptionPhase()).toMatchObject({ state: "reached", source: "derived" });
    // 40 days on, D (every 30 days) is overdue again: the phase is open again
    now += 40 * DAY_MS;
    const team = await call(stack, "GET", "/api/v1/teams/rev/slo-reviews");
    expect((team.body!.slos as DueItem[]).map((s) => [s.name, s.state])).toContainEqual([
      "D login",
      "overdue",
    ]);
    expect(await adoptionPhase()).toMatchObject({ state: "open", source: null });
    now -= 40 * DAY_MS;
  });

  it.each([
    { name: "unknown outcome", body: { outcome: "drop", reason: "no longer needed" }, field: "outcome" },
    { name: "no reason", body: { outcome: "keep" }, field: "reason" },
    { name: "blank reason", body: { outcome: "keep", reason: "  " }, field: "reason" },
    {
      name: "tighten without objective",
      body: { outcome: "tighten", reason: "fast" },
      field: "objectivePercent",
    },
    {
      name: "tighten that lowers",
      body: { outcome: "tighten", reason: "fast", objectivePercent: 98 },
      field: "objectivePercent",
    },
    {
      name: "loosen that raises",
      body: { outcome: "loosen", reason: "slow", objectivePercent: 99.5 },
      field: "objectivePercent",
    },
    {
      name: "keep with another objective",
      body: { outcome: "keep", reason: "same", objectivePercent: 98 },
      field: "objectivePercent",
    },
    {
      name: "objective out of range",
      body: { outcome: "tighten", reason: "more", objectivePercent: 100.5 },
      field: "objectivePercent",
    },
    { name: "unknown field", body: { outcome: "keep", reason: "same", note: "x" }, field: "note" },
  ])("a bad review ($name) is a 400 naming the field, and changes nothing", async ({ body, field }) => {
    const r = await call(stack, "POST", `/api/v1/slos/${ids.c}/reviews`, body);
    expect(r.status).toBe(400);
    expect(r.body!.error.code).toBe("validation_error");
    expect(r.body!.error.message + JSON.stringify(r.body!.error.details)).toContain(field);
    expect(await stack.db.sloReview.count({ where: { sloId: ids.c } })).toBe(0);
    expect((await call(stack, "GET", `/api/v1/slos/${ids.c}`)).body).toMatchObject({
      objectivePercent: 99,
      version: 1,
    });
  });

  it("a cadence out of range is a 400 naming reviewEveryDays; an unknown SLO is a 404", async () => {
    const bad = await call(stack, "PATCH", `/api/v1/slos/${ids.c}`, {
      reviewEveryDays: 3,
      reason: "weekly-ish",
    });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toContain("reviewEveryDays");
    const ok = await call(stack, "PATCH", `/api/v1/slos/${ids.c}`, {
      reviewEveryDays: 30,
      reason: "monthly reviews",
    });
    expect(ok.status).toBe(200);
    expect(ok.body!.reviewEveryDays).toBe(30);
    // created 2026-11-01, every 30 days: overdue since 2026-12-01
    const c = await call(stack, "GET", `/api/v1/slos/${ids.c}/reviews`);
    expect(c.body!.review).toMatchObject({ state: "overdue", dueAt: "2026-12-01T00:00:00.000Z" });
    const missing = await call(stack, "POST", "/api/v1/slos/00000000-0000-4000-8000-000000000000/reviews", {
      outcome: "keep",
      reason: "fine",
    });
    expect(missing.status).toBe(404);
  });
});

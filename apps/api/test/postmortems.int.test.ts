import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeSliMinutes } from "@burnrate/db";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { ensurePostmortem } from "../src/services/incidents/postmortems";
import { call, startStack, type Stack } from "./harness";

/**
 * Postmortems on a clock of the test's own: a resolved P1 incident gets exactly one (however often its creation
 * runs), its timeline comes from the incident, its impact equals the status API's figures for the incident's
 * minutes, and overdue action items and postmortems reach the team endpoint.
 */
const T0 = Date.UTC(2020, 11, 10, 15, 0, 0);
let clock = T0 - 3 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

describe("postmortems", () => {
  let stack: Stack;
  let sloId: string;
  let p1: string;

  beforeAll(async () => {
    stack = await startStack({ now: () => clock });
    await call(stack, "POST", "/api/v1/teams", { slug: "pos", name: "Point of sale" });
    await call(stack, "POST", "/api/v1/teams", { slug: "web", name: "Web" });
    await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
    const eu = await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    const us = await stack.db.region.create({ data: { slug: "prod-us", name: "prod-us" } });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "upload",
      name: "uploads succeed",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    expect(slo.status).toBe(201);
    sloId = slo.body!.id;
    // Two hours of traffic before the incident, 30 bad minutes in the EU (20 of 100 fail) and a healthy US.
    const rows: { sloId: string; regionId: string; minuteMs: number; good: number; total: number }[] = [];
    for (let m = -120; m < 60; m++) {
      const minuteMs = T0 + m * MINUTE_MS;
      rows.push({ sloId, regionId: eu.id, minuteMs, good: m >= 0 && m < 30 ? 80 : 100, total: 100 });
      rows.push({ sloId, regionId: us.id, minuteMs, good: m >= 10 && m < 12 ? 45 : 50, total: 50 });
    }
    await storeSliMinutes(stack.db, rows);
  });
  afterAll(async () => stack?.stop());

  it("creates the postmortem of a P1 with its resolution, once, with the incident's timeline", async () => {
    clock = T0 + 2 * MINUTE_MS;
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title: "Uploads fail in Europe",
      services: ["upload"],
      regions: ["prod-eu", "prod-us"],
      priority: "P1",
      severity: "critical",
      startedAt: iso(T0),
      message: "Uploads fail for a fifth of devices.",
    });
    expect(opened.status).toBe(201);
    p1 = opened.body!.id;
    expect((await call(stack, "GET", `/api/v1/incidents/${p1}/postmortem`)).status).toBe(404);
    clock = T0 + 29 * MINUTE_MS + 30_000;
    const resolved = await call(stack, "POST", `/api/v1/incidents/${p1}/updates`, {
      state: "resolved",
      message: "The faulty deployment was rolled back.",
    });
    expect(resolved.status).toBe(200);

    const pm = await call(stack, "GET", `/api/v1/incidents/${p1}/postmortem`);
    expect(pm.status).toBe(200);
    expect(pm.body).toMatchObject({
      status: "draft",
      required: true,
      title: `Incident ${opened.body!.number}: Uploads fail in Europe`,
      dueAt: iso(T0 + 29 * MINUTE_MS + 30_000 + 3 * DAY_MS),
      overdue: false,
      incident: { id: p1, priority: "P1", resolvedAt: iso(T0 + 29 * MINUTE_MS + 30_000) },
    });
    expect(
      (pm.body!.timeline as { kind: string; at: string; text: string }[]).map((e) => [e.kind, e.text]),
    ).toEqual([
      ["opened", "Uploads fail for a fifth of devices."],
      ["update", "The faulty deployment was rolled back."],
      ["state", "state investigating → resolved"],
    ]);

    // The creation runs again (a retried handler, a replayed resolution, a second click): still one postmortem.
    const again = await ensurePostmortem(stack.db, { incidentId: p1, by: "x", nowMs: clock, required: true });
    const twice = await Promise.all([
      ensurePostmortem(stack.db, { incidentId: p1, by: "x", nowMs: clock, required: true }),
      call(stack, "POST", `/api/v1/incidents/${p1}/postmortem`),
    ]);
    expect(again).toEqual({ id: pm.body!.id, created: false });
    expect(twice[0].id).toBe(pm.body!.id);
    expect(twice[1].status).toBe(200);
    expect(twice[1].body!.id).toBe(pm.body!.id);
    expect(await stack.db.postmortem.count({ where: { incidentId: p1 } })).toBe(1);
  });

  it("gives the budget consumed per SLO × region, equal to the status API's figures for the incident's minutes", async () => {
    clock = T0 + 2 * HOUR_MS;
    const pm = await call(stack, "GET", `/api/v1/incidents/${p1}/postmortem`);
    const impact = pm.body!.impact as Record<string, any>[];
    expect(impact.map((r) => r.region)).toEqual(["prod-eu", "prod-us"]);
    const from = T0;
    const to = T0 + 30 * MINUTE_MS; // the end of the minute it was resolved in
    for (const row of impact) {
      const region = row.region as string;
      const before = await call(
        stack,
        "GET",
        `/api/v1/slos/${sloId}/status?region=${region}&at=${iso(from - 1)}`,
      );
      const after = await call(
        stack,
        "GET",
        `/api/v1/slos/${sloId}/status?region=${region}&at=${iso(to - 1)}`,
      );
      const series = await call(
        stack,
        "GET",
        `/api/v1/slos/${sloId}/series?region=${region}&from=${iso(from)}&to=${iso(to)}&step=60000`,
      );
      expect(before.status).toBe(200);
      expect(after.status).toBe(200);
      expect(series.status).toBe(200);
      const points = series.body!.points as { good: number; total: number }[];
      expect(points).toHaveLength(30);
      const bad = points.reduce((s, p) => s + p.total - p.good, 0);
      expect(row).toMatchObject({
        sloId,
        service: "upload",
        unit: "requests",
        from: iso(from),
        to: iso(to),
        good: points.reduce((s, p) => s + p.good, 0),
        total: points.reduce((s, p) => s + p.total, 0),
        badDuring: bad,
        allowed: after.body!.errorBudget.allowed,
        remainingBefore: before.body!.errorBudget.remainingFraction,
        remainingAfter: after.body!.errorBudget.remainingFraction,
      });
      // The period's bad count grew by exactly the incident's bad requests (nothing left the 28-day window).
      expect(after.body!.errorBudget.bad - before.body!.errorBudget.bad).toBe(row.badDuring);
      expect(row.consumedFraction).toBe(bad / after.body!.errorBudget.allowed);
    }
    expect(impact[0]!.badDuring).toBe(30 * 20);
    expect(impact[1]!.badDuring).toBe(2 * 5);
  });

  it("creates one on demand for a lower priority, not with its resolution", async () => {
    clock = T0 + 3 * HOUR_MS;
    const p3 = await call(stack, "POST", "/api/v1/incidents", {
      title: "Slow uploads",
      services: ["upload"],
      priority: "P3",
    });
    await call(stack, "POST", `/api/v1/incidents/${p3.body!.id}/updates`, {
      state: "resolved",
      message: "ok",
    });
    expect((await call(stack, "GET", `/api/v1/incidents/${p3.body!.id}/postmortem`)).status).toBe(404);
    const made = await call(stack, "POST", `/api/v1/incidents/${p3.body!.id}/postmortem`);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ required: false, status: "draft" });
    expect((await call(stack, "POST", `/api/v1/incidents/${p3.body!.id}/postmortem`)).status).toBe(200);
  });

  it("edits sections and moves draft → in review → published, with blameless hints and clear refusals", async () => {
    const url = `/api/v1/incidents/${p1}/postmortem`;
    const cur = await call(stack, "GET", url);
    const edited = await call(stack, "PATCH", url, {
      summary: "A deployment broke uploads for a fifth of European devices for 30 minutes.",
      rootCauses: "The operator should have checked the canary.",
      wentWell: "The rollback took two minutes.",
      gotLucky: "Traffic was low.",
      expectedUpdatedAt: cur.body!.updatedAt,
    });
    expect(edited.status).toBe(200);
    expect(edited.body!.wordingHints).toEqual([
      expect.objectContaining({ section: "rootCauses", phrase: "should have" }),
    ]);
    const stale = await call(stack, "PATCH", url, { summary: "x", expectedUpdatedAt: cur.body!.updatedAt });
    expect(stale.status).toBe(409);
    const skip = await call(stack, "PATCH", url, { status: "published" });
    expect(skip.status).toBe(400);
    expect(skip.body!.error.message).toMatch(/status/);
    expect((await call(stack, "PATCH", url, { status: "in_review" })).body!.status).toBe("in_review");
    const published = await call(stack, "PATCH", url, { status: "published" });
    expect(published.body).toMatchObject({ status: "published", publishedAt: iso(clock) });
    expect((await call(stack, "PATCH", url, { summary: "late edit" })).status).toBe(409);
    const bad = await call(stack, "PATCH", url, { timeline: [{ at: "yesterday", kind: "note", text: "x" }] });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toMatch(/timeline/);
  });

  it("lists overdue action items and postmortems on the team endpoint until they are done", async () => {
    clock = T0 + 3 * HOUR_MS;
    const items = `/api/v1/incidents/${p1}/postmortem/action-items`;
    const late = await call(stack, "POST", items, {
      title: "Add a canary check to the upload deployment",
      owner: "Ops@Example.com",
      dueDate: "2020-12-09",
      priority: "P1",
      link: "/slos/" + sloId,
    });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ owner: "ops@example.com", state: "new", overdue: true });
    const today = await call(stack, "POST", items, {
      title: "Alert on upload errors per device type",
      owner: "ops@example.com",
      dueDate: "2020-12-10",
    });
    expect(today.body).toMatchObject({ overdue: false, priority: "P2" });
    const hostile = await call(stack, "POST", items, {
      title: "xss",
      owner: "ops@example.com",
      dueDate: "2020-12-10",
      link: "javascript:alert(1)",
    });
    expect(hostile.status).toBe(400);
    expect(hostile.body!.error.message).toMatch(/link/);
    expect(
      (await call(stack, "POST", items, { title: "x y z", owner: "a@b.co", dueDate: "2020-02-30" })).status,
    ).toBe(400);

    const pos = await call(stack, "GET", "/api/v1/teams/pos/overdue");
    expect(pos.status).toBe(200);
    expect(pos.body!.actionItems.map((i: { id: string }) => i.id)).toEqual([late.body!.id]);
    expect(pos.body!.actionItems[0]).toMatchObject({ incidentId: p1, overdue: true, dueDate: "2020-12-09" });
    expect((await call(stack, "GET", "/api/v1/teams/web/overdue")).body).toEqual({
      postmortems: [],
      actionItems: [],
    });
    expect((await call(stack, "GET", "/api/v1/teams/nope/overdue")).status).toBe(404);

    const done = await call(stack, "PATCH", `${items}/${late.body!.id}`, { state: "done" });
    expect(done.body).toMatchObject({ state: "done", overdue: false });
    expect((await call(stack, "GET", "/api/v1/teams/pos/overdue")).body!.actionItems).toEqual([]);
    expect(
      (await call(stack, "PATCH", `${items}/00000000-0000-4000-8000-000000000000`, { state: "done" })).status,
    ).toBe(404);

    // Four days on: the P3's draft postmortem is past due, the published P1 one is not listed.
    clock = T0 + 4 * DAY_MS;
    const later = await call(stack, "GET", "/api/v1/teams/pos/overdue");
    expect(later.body!.postmortems).toHaveLength(1);
    expect(later.body!.postmortems[0]).toMatchObject({
      status: "draft",
      title: expect.stringContaining("Slow uploads"),
    });
    expect(later.body!.actionItems.map((i: { id: string }) => i.id)).toEqual([today.body!.id]);
  });

  it("exports the postmortem as Markdown with the template's sections, impact, timeline and action items", async () => {
    const json = (await call(stack, "GET", `/api/v1/incidents/${p1}/postmortem`)).body!;
    const r = await stack.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${p1}/postmortem.md`,
      headers: { authorization: `Bearer ${stack.token}` },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/markdown/);
    expect(r.headers["content-disposition"]).toContain(`postmortem-incident-${json.incident.number}.md`);
    const md = r.body;
    const lines = md.split("\n");
    expect(lines[0]).toBe(`# ${json.title}`);
    const headings = lines.filter((l) => l.startsWith("## "));
    expect(headings).toEqual([
      "## Summary",
      "## Customer impact",
      "## Trigger",
      "## Root causes",
      "## Detection",
      "## Resolution",
      "## What went well",
      "## What went badly",
      "## Where we got lucky",
      "## Impact on the error budgets",
      "## Timeline",
      "## Action items",
    ]);
    expect(md).toContain("A deployment broke uploads for a fifth of European devices for 30 minutes.");
    expect(md).toContain("| P1 | critical | 2020-12-10 15:00 UTC |");
    // The impact rows carry the JSON's figures: 600 bad requests in the EU, 10 in the US.
    const section = (h: string) => md.split(`## ${h}\n`)[1]!.split("\n## ")[0]!;
    const impact = section("Impact on the error budgets");
    expect(impact).toContain("| upload · uploads succeed | prod-eu | 600 requests |");
    expect(impact).toContain("| upload · uploads succeed | prod-us | 10 requests |");
    expect(impact).toContain("From 2020-12-10 15:00 UTC to 2020-12-10 15:30 UTC.");
    // One table row per timeline entry and per action item.
    const rows = (h: string) =>
      section(h)
        .split("\n")
        .filter((l) => l.startsWith("| ") && !l.startsWith("| --- ")).length - 1; // less the header
    expect(rows("Timeline")).toBe(json.timeline.length);
    expect(rows("Action items")).toBe(json.actionItems.length);
    expect(section("Action items")).toContain(
      "| Add a canary check to the upload deployment | ops@example.com | 2020-12-09 | P1 | done | /slos/",
    );
    const missing = await stack.app.inject({
      method: "GET",
      url: "/api/v1/incidents/00000000-0000-4000-8000-000000000000/postmortem.md",
      headers: { authorization: `Bearer ${stack.token}` },
    });
    expect(missing.statusCode).toBe(404);
  });

  it("edits a stakeholder ring", async () => {
    const ring = await call(stack, "POST", "/api/v1/stakeholder-rings", {
      number: 1,
      name: "Product management",
    });
    expect(ring.status).toBe(201);
    const edited = await call(stack, "PATCH", `/api/v1/stakeholder-rings/${ring.body!.id}`, {
      emails: ["PM@example.com"],
      slackChannels: ["#pm-news"],
      escalateAfterMinutes: 60,
    });
    expect(edited.body).toMatchObject({
      number: 1,
      name: "Product management",
      emails: ["pm@example.com"],
      slackChannels: ["pm-news"],
      escalateAfterMinutes: 60,
    });
    await call(stack, "POST", "/api/v1/stakeholder-rings", { number: 2, name: "Leadership" });
    const taken = await call(stack, "PATCH", `/api/v1/stakeholder-rings/${ring.body!.id}`, { number: 2 });
    expect(taken.status).toBe(409);
    expect(
      (await call(stack, "PATCH", `/api/v1/stakeholder-rings/${ring.body!.id}`, { number: 0 })).status,
    ).toBe(400);
  });
});

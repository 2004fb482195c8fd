import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, waitFor, type Stack } from "./harness";

/**
 * Stakeholder rings and the notification bracket (book §8.5–8.6, Tbl 8.6/8.7) on a clock of the test's own,
 * with the worker running: a first message at 15:00 UTC to ring 1 with "next update within 4 h", the last at
 * 15:51 giving 51 minutes to recovery, and ring 2 ("not resolved within 60 min") not told; the same kind of
 * incident left open past 60 minutes tells ring 2 within a minute, in its Slack channel.
 */
const T0 = Date.UTC(2020, 11, 1, 15, 0, 0);
let clock = T0;

describe("stakeholder notifications", () => {
  let stack: Stack;
  const notifications = async (id: string) =>
    (await call(stack, "GET", `/api/v1/incidents/${id}/notifications`)).body as unknown as {
      ring: { number: number };
      kind: string;
      trigger: string;
      ttrMinutes: number | null;
      nextUpdateDueAt: string | null;
      sentAt: string;
      message: string;
    }[];

  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 500, now: () => clock });
    await call(stack, "POST", "/api/v1/teams", {
      slug: "pos",
      name: "Point of sale",
      slackChannel: "#pos-team",
    });
    await call(stack, "POST", "/api/v1/users", {
      email: "comms@example.com",
      name: "Comms",
      password: "a long password",
    });
    await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
    const ring1 = await call(stack, "POST", "/api/v1/stakeholder-rings", {
      number: 1,
      name: "Product management",
      groups: ["PMs, POs and BAs"],
      slackChannels: ["#pm-incidents"],
    });
    expect(ring1.status).toBe(201);
    const ring2 = await call(stack, "POST", "/api/v1/stakeholder-rings", {
      number: 2,
      name: "Leadership",
      groups: ["PDO leadership"],
      slackChannels: ["leadership"],
      emails: ["cto@example.com"],
      escalateAfterMinutes: 60,
      agreedBy: ["marketing", "sales", "communications"],
    });
    expect(ring2.status).toBe(201);
    expect(ring2.body).toMatchObject({ slackChannels: ["leadership"], escalateAfterMinutes: 60 });
  });
  afterAll(async () => stack?.stop());

  it("refuses a ring number taken, and non-admin callers", async () => {
    const again = await call(stack, "POST", "/api/v1/stakeholder-rings", { number: 1, name: "again" });
    expect(again.status).toBe(409);
    expect(again.body!.error.message).toContain("number");
    const rings = await call(stack, "GET", "/api/v1/stakeholder-rings");
    expect(rings.body!.map((r: { number: number }) => r.number)).toEqual([1, 2]);
  });

  it("the book's bracket: 15:00 first message, 15:51 last with 51 minutes to recovery; ring 2 not told", async () => {
    clock = T0;
    const inc = await call(stack, "POST", "/api/v1/incidents", {
      title: "Showcase point-of-sale devices stopped uploading",
      services: ["upload"],
      products: ["showcase"],
    });
    const id = inc.body!.id as string;
    const send = (body: object) => call(stack, "POST", `/api/v1/incidents/${id}/notifications`, body);
    // Every message before the last says when the next comes; the last waits for the resolution.
    const noNext = await send({ ring: 1, kind: "first", message: "uploads stopped" });
    expect(noNext.status).toBe(400);
    expect(noNext.body!.error.message).toContain("nextUpdateInMinutes");
    expect((await send({ ring: 1, kind: "update", message: "x", nextUpdateInMinutes: 60 })).status).toBe(409);
    const first = await send({
      ring: 1,
      kind: "first",
      geography: "worldwide",
      products: ["all"],
      message:
        "Most point-of-sale devices of the showcase deployment stopped uploading data after the latest cloud deployment.",
      nextUpdateInMinutes: 240,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      ring: { number: 1 },
      kind: "first",
      geography: "worldwide",
      products: ["all"],
      sentAt: new Date(T0).toISOString(),
      nextUpdateDueAt: new Date(T0 + 4 * 60 * MINUTE_MS).toISOString(),
      recipients: { slackChannels: ["pm-incidents"] },
      trigger: "manual",
    });
    const early = await send({ ring: 1, kind: "last", message: "done" });
    expect(early.status).toBe(409);
    expect(early.body!.error.message).toContain("resolve the incident first");

    clock = T0 + 51 * MINUTE_MS;
    await call(stack, "POST", `/api/v1/incidents/${id}/updates`, { state: "resolved", message: "fixed" });
    const last = await send({
      ring: 1,
      kind: "last",
      message:
        "Data uploads from all showcase point-of-sale devices work again after a bug-fix deployment. No further messages planned.",
    });
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({
      kind: "last",
      ttrMinutes: 51,
      nextUpdateDueAt: null,
      sentAt: new Date(T0 + 51 * MINUTE_MS).toISOString(),
    });
    expect((await send({ ring: 1, kind: "update", message: "x", nextUpdateInMinutes: 5 })).status).toBe(409);

    // Both messages reach ring 1's channel; ring 2 hears nothing, even long after 60 minutes.
    await waitFor("ring 1's two messages", async () => stack.slack.topLevel("pm-incidents").length === 2);
    const texts = stack.slack.topLevel("pm-incidents").map((m) => m.text);
    expect(texts[0]).toContain("To ring 1 (Product management) · worldwide · all · 2020-12-01 15:00 UTC");
    expect(texts[0]).toContain("Next update by 2020-12-01 19:00 UTC");
    expect(texts[1]).toContain("· 2020-12-01 15:51 UTC");
    expect(texts[1]).toContain("Time to recovery: 51 min");
    clock = T0 + 3 * 60 * MINUTE_MS;
    await new Promise((r) => setTimeout(r, 3000));
    expect((await notifications(id)).map((n) => `${n.ring.number}:${n.kind}`)).toEqual(["1:first", "1:last"]);
    expect(stack.slack.topLevel("leadership")).toHaveLength(0);
  });

  it("tells ring 2 within a minute when an incident is left open past 60 minutes", async () => {
    clock = T0 + 4 * 60 * MINUTE_MS;
    const inc = await call(stack, "POST", "/api/v1/incidents", {
      title: "Uploads failing again",
      services: ["upload"],
      startedAt: new Date(clock - 59 * MINUTE_MS).toISOString(),
    });
    const id = inc.body!.id as string;
    const startedAt = clock - 59 * MINUTE_MS;
    expect(inc.body!.startedAt).toBe(new Date(startedAt).toISOString());
    expect(stack.slack.topLevel("#pos-team")).toHaveLength(0);
    // 59 minutes, then exactly 60: not yet.
    await new Promise((r) => setTimeout(r, 1500));
    clock += MINUTE_MS;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await notifications(id)).toEqual([]);
    clock += 30_000;
    const wallStart = Date.now();
    const told = await waitFor(
      "ring 2 told by rule",
      async () => {
        const n = await notifications(id);
        return n.length > 0 ? n : null;
      },
      60_000,
    );
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ ring: { number: 2 }, kind: "first", trigger: "rule" });
    expect(told[0]!.message).toContain("Not resolved after 1 h (your ring is told after 60 min)");
    // Within a minute of the 60 minutes running out, on the incident's clock and on the wall clock.
    const lateMs = Date.parse(told[0]!.sentAt) - (startedAt + 60 * MINUTE_MS);
    expect(lateMs).toBeGreaterThan(0);
    expect(lateMs).toBeLessThanOrEqual(MINUTE_MS);
    expect(Date.now() - wallStart).toBeLessThan(MINUTE_MS);
    await waitFor("ring 2's Slack message", async () => stack.slack.topLevel("leadership").length === 1);
    // Told once, however many runs follow.
    clock += 10 * MINUTE_MS;
    await new Promise((r) => setTimeout(r, 2000));
    expect(await notifications(id)).toHaveLength(1);
    expect(stack.slack.topLevel("leadership")).toHaveLength(1);
  });
});

describe("stakeholder update reminders", () => {
  it("reminds the communications lead in the team's channel when the promised update is overdue", async () => {
    clock = T0;
    const stack = await startStack({ worker: true, evalEveryMs: 500, now: () => clock });
    try {
      await call(stack, "POST", "/api/v1/teams", {
        slug: "pos",
        name: "Point of sale",
        slackChannel: "#pos-team",
      });
      await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
      await call(stack, "POST", "/api/v1/users", {
        email: "comms@example.com",
        name: "Comms",
        password: "a long password",
      });
      await call(stack, "POST", "/api/v1/stakeholder-rings", { number: 1, name: "Product management" });
      const inc = await call(stack, "POST", "/api/v1/incidents", {
        title: "Uploads stopped",
        services: ["upload"],
        roles: { communicationsLead: "comms@example.com" },
      });
      const id = inc.body!.id as string;
      const first = await call(stack, "POST", `/api/v1/incidents/${id}/notifications`, {
        ring: 1,
        kind: "first",
        message: "Uploads stopped; investigating.",
        nextUpdateInMinutes: 30,
      });
      expect(first.status).toBe(201);
      clock = T0 + 29 * MINUTE_MS;
      await new Promise((r) => setTimeout(r, 2000));
      expect(stack.slack.topLevel("#pos-team")).toHaveLength(0);
      clock = T0 + 31 * MINUTE_MS;
      await waitFor("the reminder", async () => stack.slack.topLevel("#pos-team").length === 1, 60_000);
      expect(stack.slack.topLevel("#pos-team")[0]!.text).toContain("Reminder for comms@example.com");
      expect(stack.slack.topLevel("#pos-team")[0]!.text).toContain("was due by 2020-12-01 15:30 UTC");
      // An update answers the promise: no new reminder until the next one is overdue.
      await call(stack, "POST", `/api/v1/incidents/${id}/notifications`, {
        ring: 1,
        kind: "update",
        message: "Cause found.",
        nextUpdateInMinutes: 60,
      });
      await new Promise((r) => setTimeout(r, 2000));
      expect(stack.slack.topLevel("#pos-team")).toHaveLength(1);
    } finally {
      await stack.stop();
    }
  });
});

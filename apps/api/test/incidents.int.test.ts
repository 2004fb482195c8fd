import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";

/**
 * Incidents through HTTP on a clock of the test's own: the book's bracket (opened 15:00, resolved 15:51,
 * 51 minutes to recover), an incident opened from alerts (detect = first alert, ack = first ack), state
 * transitions, priority changes in the timeline, and bad input named by field.
 */
const T0 = Date.UTC(2020, 11, 1, 15, 0, 0);
let clock = T0;

describe("incidents", () => {
  let stack: Stack;
  let sloId: string;
  const alertAt = async (firedAt: number, priority: string | null) => {
    const a = await stack.db.alert.create({
      data: {
        sloId,
        regionKey: "prod-eu",
        state: "firing",
        severity: "page",
        priority,
        tiers: [],
        firedAt: new Date(firedAt),
      },
    });
    await stack.db.alertEvent.create({ data: { alertId: a.id, kind: "fired", at: new Date(firedAt) } });
    return a.id;
  };

  beforeAll(async () => {
    stack = await startStack({ now: () => clock });
    await call(stack, "POST", "/api/v1/teams", { slug: "pos", name: "Point of sale" });
    await call(stack, "POST", "/api/v1/teams", { slug: "web", name: "Web" });
    await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
    await call(stack, "POST", "/api/v1/services", { slug: "shop", name: "Shop", team: "web" });
    await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "upload",
      name: "uploads succeed",
      sli: { type: "availability" },
      objectivePercent: 99.9,
    });
    expect(slo.status).toBe(201);
    sloId = slo.body!.id;
    await call(stack, "POST", "/api/v1/users", {
      email: "comms@example.com",
      name: "Comms",
      password: "a long password",
    });
  });
  afterAll(async () => stack?.stop());

  it("gives the book's bracket: opened at 15:00, resolved at 15:51, 51 minutes to recover", async () => {
    clock = T0;
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title: "Showcase point-of-sale devices stopped uploading",
      services: ["upload"],
      priority: "P2",
      severity: "error",
      products: ["showcase"],
      roles: { commander: stack.admin.email, communicationsLead: "comms@example.com" },
      message: "Most showcase devices stopped uploading after the latest cloud deployment.",
      public: true,
    });
    expect(opened.status).toBe(201);
    const id = opened.body!.id as string;
    expect(opened.body).toMatchObject({
      state: "investigating",
      priority: "P2",
      severity: "error",
      teams: ["pos"],
      services: ["upload"],
      startedAt: new Date(T0).toISOString(),
      detectedAt: new Date(T0).toISOString(),
      resolvedAt: null,
      ttrMinutes: null,
      roles: { commander: stack.admin.email, communicationsLead: "comms@example.com", opsLead: null },
    });
    clock = T0 + 20 * MINUTE_MS;
    const identified = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "identified",
      message: "A bug in the upload client; a fix is being built.",
      priority: "P1",
    });
    expect(identified.status).toBe(200);
    expect(identified.body!.priority).toBe("P1");
    clock = T0 + 51 * MINUTE_MS;
    const resolved = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "resolved",
      message: "Uploads work again after a bug-fix deployment.",
      public: true,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      state: "resolved",
      resolvedAt: new Date(T0 + 51 * MINUTE_MS).toISOString(),
      ttrMinutes: 51,
    });

    const got = await call(stack, "GET", `/api/v1/incidents/${id}`);
    expect(got.status).toBe(200);
    const kinds = (got.body!.timeline as { kind: string; at: string }[]).map(
      (e) => `${e.kind}@${e.at.slice(11, 16)}`,
    );
    expect(kinds).toEqual([
      "opened@15:00",
      "update@15:20",
      "state@15:20",
      "priority@15:20",
      "update@15:51",
      "state@15:51",
    ]);
    const priority = (got.body!.timeline as { kind: string; detail?: unknown }[]).find(
      (e) => e.kind === "priority",
    );
    expect(priority!.detail).toEqual({ from: "P2", to: "P1" });
    const row = await stack.db.incident.findUniqueOrThrow({ where: { id } });
    expect(row.resolvedAt!.getTime()).toBe(T0 + 51 * MINUTE_MS);

    // A resolved incident is closed.
    const again = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "investigating",
      message: "reopen",
    });
    expect(again.status).toBe(409);
    expect(again.body!.error.details.field).toBe("state");
  });

  it("opened from alerts: detected at the first alert, acknowledged at the first ack, to the second", async () => {
    clock = T0 + 2 * 60 * MINUTE_MS;
    const first = await alertAt(clock - 5 * MINUTE_MS - 17_000, "P3");
    const second = await alertAt(clock - 3 * MINUTE_MS, "P2");
    const ackAt = clock - 60_000;
    const saved = clock;
    clock = ackAt;
    expect((await call(stack, "POST", `/api/v1/alerts/${second}/ack`)).status).toBe(200);
    clock = saved;
    await call(stack, "POST", "/api/v1/deployments", {
      service: "upload",
      version: "v2.4.1",
      at: new Date(saved - 30 * MINUTE_MS).toISOString(),
    });
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title: "Uploads failing in prod-eu",
      alertIds: [first, second],
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      priority: "P2",
      services: ["upload"],
      regions: ["prod-eu"],
      teams: ["pos"],
      detectedAt: new Date(saved - 5 * MINUTE_MS - 17_000).toISOString(),
      startedAt: new Date(saved - 5 * MINUTE_MS - 17_000).toISOString(),
      acknowledgedAt: new Date(ackAt).toISOString(),
      ttaMinutes: (5 * MINUTE_MS + 17_000 - 60_000) / MINUTE_MS,
    });
    expect([...opened.body!.alertIds].sort()).toEqual([first, second].sort());
    clock = saved + 42 * MINUTE_MS + 5_000;
    const resolved = await call(stack, "POST", `/api/v1/incidents/${opened.body!.id}/updates`, {
      state: "resolved",
      message: "rolled back",
    });
    expect(resolved.body!.resolvedAt).toBe(new Date(clock).toISOString());
    expect(resolved.body!.ttrMinutes).toBe((clock - (saved - 5 * MINUTE_MS - 17_000)) / MINUTE_MS);
    const kinds = (resolved.body!.timeline as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual([
      "deployment",
      "alert_fired",
      "alert_fired",
      "alert_acknowledged",
      "opened",
      "update",
      "state",
    ]);
  });

  it("validates transitions and names the field of bad input", async () => {
    clock = T0 + 5 * 60 * MINUTE_MS;
    const opened = await call(stack, "POST", "/api/v1/incidents", { title: "Shop slow", services: ["shop"] });
    const id = opened.body!.id as string;
    await call(stack, "POST", `/api/v1/incidents/${id}/updates`, { state: "monitoring", message: "fix out" });
    const back = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "identified",
      message: "hm",
    });
    expect(back.status).toBe(400);
    expect(back.body!.error.message).toContain("state");
    const same = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "monitoring",
      message: "still",
    });
    expect(same.status).toBe(400);
    const reopen = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "investigating",
      message: "the fix did not hold",
    });
    expect(reopen.status).toBe(200);
    const cases: [unknown, string][] = [
      [{ title: "x", services: ["shop"] }, "title"],
      [{ title: "Missing", alertIds: ["00000000-0000-4000-8000-000000000000"] }, "alertIds"],
      [{ title: "Missing", services: ["nope"] }, "services"],
      [{ title: "Missing", regions: ["mars-1"] }, "regions"],
      [
        { title: "Missing", services: ["shop"], roles: { commander: "ghost@example.com" } },
        "roles.commander",
      ],
      [{ title: "Missing", services: ["shop"], priority: "P9" }, "priority"],
      [
        { title: "Missing", services: ["shop"], startedAt: new Date(clock + 60_000).toISOString() },
        "startedAt",
      ],
    ];
    for (const [body, field] of cases) {
      const r = await call(stack, "POST", "/api/v1/incidents", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body!.error.message).toContain(field);
    }
    const noMessage = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, { state: "resolved" });
    expect(noMessage.status).toBe(400);
    expect(noMessage.body!.error.message).toContain("message");
    expect((await call(stack, "GET", "/api/v1/incidents/not-a-uuid")).status).toBe(404);
    expect((await call(stack, "GET", "/api/v1/incidents/00000000-0000-4000-8000-000000000000")).status).toBe(
      404,
    );
  });

  it("lists by state and team", async () => {
    const open = await call(stack, "GET", "/api/v1/incidents?state=open");
    expect(open.body!.map((i: { title: string }) => i.title)).toEqual(["Shop slow"]);
    const resolved = await call(stack, "GET", "/api/v1/incidents?state=resolved&team=pos");
    expect(resolved.body!.map((i: { title: string }) => i.title).sort()).toEqual([
      "Showcase point-of-sale devices stopped uploading",
      "Uploads failing in prod-eu",
    ]);
    expect((await call(stack, "GET", "/api/v1/incidents?team=web")).body!.length).toBe(1);
    expect((await call(stack, "GET", "/api/v1/incidents?team=nope")).status).toBe(404);
    expect((await call(stack, "GET", "/api/v1/incidents?state=bogus")).status).toBe(400);
  });
});

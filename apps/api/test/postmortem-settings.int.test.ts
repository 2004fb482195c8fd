import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * The priorities that require a postmortem are the organisation's choice: P1 until an admin sets them, and
 * incidents resolved from then on follow the setting.
 */
describe("postmortem settings", () => {
  let stack: Stack;
  const T0 = Date.UTC(2021, 4, 3, 9, 0, 0);

  beforeAll(async () => {
    stack = await startStack({ now: () => T0 });
    await call(stack, "POST", "/api/v1/teams", { slug: "pos", name: "Point of sale" });
    await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
  });
  afterAll(async () => stack?.stop());

  async function resolved(priority: string): Promise<number> {
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title: `Uploads slow (${priority})`,
      services: ["upload"],
      priority,
    });
    expect(opened.status).toBe(201);
    const id = opened.body!.id as string;
    const done = await call(stack, "POST", `/api/v1/incidents/${id}/updates`, {
      state: "resolved",
      message: "fixed",
    });
    expect(done.status).toBe(200);
    return (await call(stack, "GET", `/api/v1/incidents/${id}/postmortem`)).status;
  }

  it("requires one for P1 only by default", async () => {
    expect((await call(stack, "GET", "/api/v1/settings/postmortems")).body).toEqual({
      requiredPriorities: ["P1"],
      dueDays: 3,
    });
    expect(await resolved("P1")).toBe(200);
    expect(await resolved("P2")).toBe(404);
  });

  it("follows the organisation's choice once set", async () => {
    const put = await call(stack, "PUT", "/api/v1/settings/postmortems", {
      requiredPriorities: ["P2", "P1"],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ requiredPriorities: ["P1", "P2"], dueDays: 3 });
    expect(await resolved("P2")).toBe(200);
    expect(await resolved("P3")).toBe(404);
    // none by rule: a P1 gets one only on demand
    expect(
      (await call(stack, "PUT", "/api/v1/settings/postmortems", { requiredPriorities: [] })).status,
    ).toBe(200);
    expect(await resolved("P1")).toBe(404);
    const audit = await stack.db.auditLog.findMany({ where: { entity: "postmortem_setting" } });
    expect(audit).toHaveLength(2);
  });

  it("makes postmortems due the organisation's number of days after the resolution, from then on", async () => {
    const before = await call(stack, "PUT", "/api/v1/settings/postmortems", { requiredPriorities: ["P1"] });
    expect(before.body).toEqual({ requiredPriorities: ["P1"], dueDays: 3 });
    const dueOf = async () => {
      const opened = await call(stack, "POST", "/api/v1/incidents", {
        title: "Uploads fail",
        services: ["upload"],
        priority: "P1",
      });
      const id = opened.body!.id as string;
      await call(stack, "POST", `/api/v1/incidents/${id}/updates`, { state: "resolved", message: "fixed" });
      return (await call(stack, "GET", `/api/v1/incidents/${id}/postmortem`)).body!.dueAt as string;
    };
    const threeDays = await dueOf();
    expect(threeDays).toBe(new Date(T0 + 3 * 24 * 3_600_000).toISOString());
    const put = await call(stack, "PUT", "/api/v1/settings/postmortems", {
      requiredPriorities: ["P1"],
      dueDays: 5,
    });
    expect(put.body).toEqual({ requiredPriorities: ["P1"], dueDays: 5 });
    expect(await dueOf()).toBe(new Date(T0 + 5 * 24 * 3_600_000).toISOString());
    // A change of priorities alone keeps the days.
    expect(
      (await call(stack, "PUT", "/api/v1/settings/postmortems", { requiredPriorities: [] })).body,
    ).toEqual({ requiredPriorities: [], dueDays: 5 });
  });

  it("refuses bad input with a 400 naming the field", async () => {
    for (const body of [
      { requiredPriorities: ["P9"] },
      { requiredPriorities: "P1" },
      { requiredPriorities: ["P1", "P1"] },
      {},
      { requiredPriorities: ["P1"], extra: true },
      { requiredPriorities: ["P1"], dueDays: 0 },
      { requiredPriorities: ["P1"], dueDays: 2.5 },
      { requiredPriorities: ["P1"], dueDays: "3" },
    ]) {
      const r = await call(stack, "PUT", "/api/v1/settings/postmortems", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(body)).toMatch(
        "dueDays" in body ? /dueDays/ : /requiredPriorities|extra/,
      );
    }
    expect((await call(stack, "GET", "/api/v1/settings/postmortems")).body).toEqual({
      requiredPriorities: [],
      dueDays: 5,
    });
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});

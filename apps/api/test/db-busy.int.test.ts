import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * An SLO's row is held while its SLIs are written (the evaluation locks it FOR NO KEY UPDATE, for seconds on a
 * busy database). An edit made then waits for the row and succeeds; it is never a 500.
 */
describe("writes while the evaluation holds an SLO's row", () => {
  let stack: Stack;
  let sloId: string;
  beforeAll(async () => {
    stack = await startStack();
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" })).status).toBe(201);
    expect(
      (await call(stack, "POST", "/api/v1/services", { slug: "store", name: "Store", team: "shop" })).status,
    ).toBe(201);
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "store",
      name: "Store availability",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    expect(slo.status).toBe(201);
    sloId = slo.body!.id as string;
  });
  afterAll(async () => stack?.stop());

  it("an edit waits for the row held by an SLI write longer than 5 s, then saves (200, not 500)", async () => {
    const holder = new pg.Client({ connectionString: stack.databaseUrl });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM slos WHERE id = $1 FOR NO KEY UPDATE", [sloId]);
      const t0 = Date.now();
      const patch = call(stack, "PATCH", `/api/v1/slos/${sloId}`, {
        objectivePercent: 99.5,
        reason: "tighter objective",
      });
      await new Promise((r) => setTimeout(r, 7_000));
      await holder.query("COMMIT");
      const res = await patch;
      expect(res.status).toBe(200);
      expect(res.body!.objectivePercent).toBe(99.5);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(7_000);
    } finally {
      await holder.end();
    }
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  }, 60_000);
});

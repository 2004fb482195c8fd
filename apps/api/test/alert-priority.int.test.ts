import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/** An alert names a priority: its SLO's when the SLO has one, else the one derived from the burn when it fired. */
describe("alert priority", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it("is the SLO's, else the derived one stored on the alert, else none", async () => {
    await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "payments" });
    const slo = async (name: string, priority?: string) =>
      (
        await call(stack, "POST", "/api/v1/slos", {
          service: "checkout",
          name,
          sli: { type: "availability" },
          objectivePercent: 99.9,
          ...(priority ? { priority } : {}),
        })
      ).body!.id as string;
    const cases = [
      { sloId: await slo("Cart", "P2"), stored: null, expected: "P2" },
      { sloId: await slo("Basket"), stored: "P1", expected: "P1" },
      { sloId: await slo("Search"), stored: null, expected: null },
    ];
    for (const c of cases) {
      const alert = await stack.db.alert.create({
        data: {
          sloId: c.sloId,
          regionKey: "prod-eu",
          state: "firing",
          severity: "page",
          priority: c.stored,
          tiers: [],
          firedAt: new Date(),
        },
      });
      const list = await call(stack, "GET", `/api/v1/alerts?sloId=${c.sloId}`);
      expect(list.body![0].priority).toBe(c.expected);
      const one = await call(stack, "GET", `/api/v1/alerts/${alert.id}`);
      expect(one.body!.priority).toBe(c.expected);
    }
  });
});

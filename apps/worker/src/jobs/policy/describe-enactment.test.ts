import type { PolicyConditionSpec } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { describeEnactment } from "./describe-enactment";

const detail: { remaining: number; consumedPercent: number; burnedPercent: number | null } = {
  remaining: -0.0512,
  consumedPercent: 105.12,
  burnedPercent: null,
};

describe("describeEnactment", () => {
  it.each<{ c: PolicyConditionSpec; d?: Partial<typeof detail>; what: string }>([
    {
      c: { id: "out", type: "exhausted", consequences: [] },
      what: "its error budget is exhausted (-5.1% left)",
    },
    {
      c: { id: "most", type: "consumed", percent: 75, consequences: [] },
      what: "105.1% of the period's error budget is consumed (policy: ≥ 75%)",
    },
    {
      c: { id: "fast", type: "burned_within", percent: 20, hours: 24, consequences: [] },
      d: { burnedPercent: 33.333 },
      what: "33.3% of the budget burned within 24 h (policy: ≥ 20%)",
    },
  ])("$c.type", ({ c, d, what }) => {
    expect(describeEnactment(c, "Cart availability", "checkout", "prod-eu", { ...detail, ...d })).toBe(
      `Error budget policy: SLO 'Cart availability' (checkout, prod-eu): ${what}. Condition '${c.id}' is now enacted.`,
    );
  });
});

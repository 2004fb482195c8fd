import { describe, expect, it } from "vitest";
import { describeSlo } from "./slo";

describe("describeSlo", () => {
  const base = {
    objectivePercent: 99.9,
    endpoint: null,
    service: "checkout",
    window: { type: "rolling", days: 28 },
  } as const;

  it("names a Prometheus-sourced SLO's queries, the bad one or the good one", () => {
    expect(
      describeSlo({
        ...base,
        sli: { type: "prometheus", url: "http://p:9090", bad: 'x_total{code="500"}', total: "x_total" },
      }),
    ).toBe(
      `99.9% of checkout requests are not bad in Prometheus (bad 'x_total{code="500"}' of 'x_total') over 28 days`,
    );
    expect(
      describeSlo({
        ...base,
        sli: { type: "prometheus", url: "http://p:9090", good: 'x_bucket{le="0.5"}', total: "x_count" },
      }),
    ).toBe(
      `99.9% of checkout requests are good in Prometheus ('x_bucket{le="0.5"}' of 'x_count') over 28 days`,
    );
  });

  it("keeps the log-based forms", () => {
    expect(describeSlo({ ...base, sli: { type: "availability" } })).toBe(
      "99.9% of checkout requests succeed over 28 days",
    );
    expect(describeSlo({ ...base, sli: { type: "ratio", good: "status < 500", total: "true" } })).toBe(
      "99.9% of checkout requests match 'status < 500' (of 'true') over 28 days",
    );
  });
});

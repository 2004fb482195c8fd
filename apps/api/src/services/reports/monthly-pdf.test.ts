import { describe, expect, it } from "vitest";
import { monthlyLine } from "./monthly-pdf";

const base = {
  name: "checkout availability",
  service: "checkout",
  region: "eu",
  objectivePercent: 99.9,
  exhaustedOn: null,
  exhaustedAt: null,
} as const;

describe("monthly PDF line", () => {
  it("a rolling window that ran out and recovered says so beside its ran-out date, not plain fulfilled", () => {
    const line = monthlyLine({
      ...base,
      remainingAtEnd: 0.88,
      adherence: "fulfilled",
      exhausted: true,
      exhaustedOn: "2025-02-01",
      exhaustedAt: Date.UTC(2025, 1, 1, 6),
    });
    expect(line).toEqual([
      "checkout availability",
      "checkout",
      "eu",
      "99.9%",
      "88.0%",
      "ran out, recovered",
      "2025-02-01",
    ]);
    expect(line).not.toContain("fulfilled");
  });

  it("a budget that ran out and stayed out reads ran out early; one that never ran out keeps its adherence", () => {
    expect(
      monthlyLine({
        ...base,
        remainingAtEnd: -0.4,
        adherence: "broken",
        exhausted: true,
        exhaustedOn: "2025-02-20",
      }).slice(4),
    ).toEqual(["-40.0%", "ran out early", "2025-02-20"]);
    expect(
      monthlyLine({ ...base, remainingAtEnd: 0.5, adherence: "fulfilled", exhausted: false }).slice(4),
    ).toEqual(["50.0%", "fulfilled", "—"]);
    expect(
      monthlyLine({ ...base, remainingAtEnd: null, adherence: null, exhausted: false }).slice(4),
    ).toEqual(["—", "no data", "—"]);
  });
});

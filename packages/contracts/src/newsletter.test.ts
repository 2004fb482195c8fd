import { describe, expect, it } from "vitest";
import { weekTrendArrow } from "./newsletter";

describe("weekTrendArrow", () => {
  it.each([
    { weekSli: 0.999, previousWeekSli: 0.998, arrow: " ↑" },
    { weekSli: 0.998, previousWeekSli: 0.999, arrow: " ↓" },
    { weekSli: 0.999, previousWeekSli: 0.999, arrow: " →" },
    { weekSli: null, previousWeekSli: 0.999, arrow: "" },
    { weekSli: 0.999, previousWeekSli: null, arrow: "" },
  ])("$weekSli against $previousWeekSli: '$arrow'", ({ arrow, ...l }) => {
    expect(weekTrendArrow(l)).toBe(arrow);
  });
});

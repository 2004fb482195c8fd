import { describe, expect, it } from "vitest";
import { componentState, dailyUptime, incidentImpact, worstState } from "./status-page.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2021, 11, 12, 13, 0, 0);

describe("status page rules", () => {
  it("maps P1 and P2 to an outage whatever the severity, lower priorities to degraded (book §9.7)", () => {
    expect(incidentImpact("P1")).toBe("major_outage");
    expect(incidentImpact("P2")).toBe("major_outage");
    expect(incidentImpact("P3")).toBe("degraded");
    expect(incidentImpact(null)).toBe("degraded");
  });
  it("takes the worst of incidents and SLO trouble", () => {
    expect(
      componentState({ openIncidentPriorities: [], slos: [{ pageFiring: false, remaining: 0.4 }] }),
    ).toBe("operational");
    expect(componentState({ openIncidentPriorities: [], slos: [{ pageFiring: true, remaining: 0.4 }] })).toBe(
      "degraded",
    );
    expect(componentState({ openIncidentPriorities: [], slos: [{ pageFiring: false, remaining: 0 }] })).toBe(
      "degraded",
    );
    expect(componentState({ openIncidentPriorities: ["P3", "P2"], slos: [] })).toBe("major_outage");
    expect(worstState([])).toBe("operational");
  });
});

describe("dailyUptime", () => {
  it("sums good and total per UTC day and over the span, leaving days without traffic out", () => {
    const today = Math.floor(NOW / DAY) * DAY;
    const r = dailyUptime(
      [
        { atMs: today + 3_600_000, good: 990, total: 1000 },
        { atMs: today + 7_200_000, good: 10, total: 10 },
        { atMs: today - DAY + 60_000, good: 500, total: 1000 },
        { atMs: today - 3 * DAY, good: 1, total: 1 }, // outside 3 days
        { atMs: NOW + 60_000, good: 0, total: 5 }, // the future
      ],
      NOW,
      3,
    );
    expect(r.days.map((d) => d.percent)).toEqual([null, 50, 100 * (1000 / 1010)]);
    expect(r.days[0]!.dayMs).toBe(today - 2 * DAY);
    expect(r.percent).toBe((100 * 1500) / 2010);
  });
  it("has no uptime without traffic", () => {
    expect(dailyUptime([], NOW, 90).percent).toBeNull();
    expect(dailyUptime([], NOW, 90).days).toHaveLength(90);
  });
});

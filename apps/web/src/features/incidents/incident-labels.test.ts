import { describe, expect, it } from "vitest";
import { describeEntry, fmtMinutes, nextStates } from "./incident-labels";

const entry = (kind: string, detail?: unknown, pub = false) => ({
  kind,
  at: "2020-12-01T15:00:00.000Z",
  state: null,
  message: null,
  public: pub,
  author: null,
  detail,
});

describe("incident labels", () => {
  it("offers the states the API accepts next", () => {
    expect(nextStates("investigating")).toEqual(["identified", "monitoring", "resolved"]);
    expect(nextStates("monitoring")).toEqual(["investigating", "resolved"]);
    expect(nextStates("resolved")).toEqual([]);
  });
  it("writes durations and timeline entries in words", () => {
    expect(fmtMinutes(51)).toBe("51 min");
    expect(fmtMinutes(125)).toBe("2 h 5 min");
    expect(fmtMinutes(null)).toBe("–");
    expect(describeEntry(entry("priority", { from: "P2", to: "P1" }))).toBe("Priority: P2 → P1");
    expect(describeEntry(entry("alert_acknowledged"))).toBe("Alert acknowledged");
    expect(describeEntry(entry("update", undefined, true))).toBe("Public update");
  });
});

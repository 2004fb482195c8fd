import { describe, expect, it } from "vitest";
import { incidentTimes, incidentTransition } from "./incident.js";

const T = Date.UTC(2020, 11, 1, 15, 0, 0);
const MIN = 60_000;

describe("incidentTransition", () => {
  it("moves forward, skipping states if need be", () => {
    expect(incidentTransition("investigating", "identified")).toEqual({ ok: true });
    expect(incidentTransition("investigating", "resolved")).toEqual({ ok: true });
    expect(incidentTransition("identified", "monitoring")).toEqual({ ok: true });
    expect(incidentTransition("monitoring", "resolved")).toEqual({ ok: true });
  });
  it("goes back only to investigating", () => {
    expect(incidentTransition("monitoring", "investigating")).toEqual({ ok: true });
    expect(incidentTransition("monitoring", "identified").ok).toBe(false);
  });
  it("refuses the same state and anything after resolved", () => {
    expect(incidentTransition("identified", "identified")).toEqual({
      ok: false,
      reason: "the incident is already identified",
    });
    expect(incidentTransition("resolved", "investigating").ok).toBe(false);
    expect(incidentTransition("resolved", "resolved").ok).toBe(false);
  });
});

describe("incidentTimes", () => {
  it("gives the book's bracket: opened at 15:00, resolved at 15:51 -> 51 minutes to recover", () => {
    const t = incidentTimes({
      startedAtMs: null,
      openedAtMs: T,
      alerts: [],
      firstUpdateAtMs: null,
      openedByPerson: true,
      resolvedAtMs: T + 51 * MIN,
    });
    expect(t).toEqual({
      startedAtMs: T,
      detectedAtMs: T,
      acknowledgedAtMs: T,
      resolvedAtMs: T + 51 * MIN,
      ttdMinutes: 0,
      ttaMinutes: 0,
      ttrMinutes: 51,
    });
  });

  it("detects at the earliest alert and acknowledges at the earliest ack", () => {
    const t = incidentTimes({
      startedAtMs: T - 7 * MIN,
      openedAtMs: T + 10 * MIN,
      alerts: [
        { firedAtMs: T + 2 * MIN, acknowledgedAtMs: null },
        { firedAtMs: T, acknowledgedAtMs: T + 4 * MIN + 30_000 },
        { firedAtMs: T + 1 * MIN, acknowledgedAtMs: T + 3 * MIN },
      ],
      firstUpdateAtMs: T + 20 * MIN,
      openedByPerson: true,
      resolvedAtMs: null,
    });
    expect(t.detectedAtMs).toBe(T);
    expect(t.startedAtMs).toBe(T - 7 * MIN);
    expect(t.ttdMinutes).toBe(7);
    expect(t.acknowledgedAtMs).toBe(T + 3 * MIN);
    expect(t.ttaMinutes).toBe(3);
    expect(t.ttrMinutes).toBeNull();
  });

  it("never starts after detection, and leaves an unacknowledged incident without an ack time", () => {
    const t = incidentTimes({
      startedAtMs: T + 30 * MIN,
      openedAtMs: T + 5 * MIN,
      alerts: [{ firedAtMs: T, acknowledgedAtMs: null }],
      firstUpdateAtMs: null,
      openedByPerson: false,
      resolvedAtMs: T + 90 * MIN,
    });
    expect(t.startedAtMs).toBe(T);
    expect(t.acknowledgedAtMs).toBeNull();
    expect(t.ttaMinutes).toBeNull();
    expect(t.ttrMinutes).toBe(90);
  });

  it("counts the first update as the acknowledgement when no alert was acked", () => {
    const t = incidentTimes({
      startedAtMs: null,
      openedAtMs: T + MIN,
      alerts: [{ firedAtMs: T, acknowledgedAtMs: null }],
      firstUpdateAtMs: T + 6 * MIN,
      openedByPerson: true,
      resolvedAtMs: null,
    });
    expect(t.acknowledgedAtMs).toBe(T + 6 * MIN);
  });
});

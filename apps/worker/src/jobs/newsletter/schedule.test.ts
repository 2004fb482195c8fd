import { describe, expect, it } from "vitest";
import { dueNewsletter, lastCompleteWeek, nextSlot, weekOfDay } from "./schedule";

const berlin = { weekday: 1, time: "09:00", timeZone: "Europe/Berlin" };
const at = (iso: string) => Date.parse(iso);

describe("newsletter send slots across DST changes", () => {
  it.each([
    // spring forward in Berlin on Sunday 2026-03-29: 09:00 is 08:00 UTC before, 07:00 UTC after
    { now: "2026-03-23T07:59:59Z", due: null },
    { now: "2026-03-23T08:00:00Z", due: { slot: "2026-03-23T08:00:00.000Z", week: "2026-03-16" } },
    { now: "2026-03-30T06:59:59Z", due: null },
    { now: "2026-03-30T07:00:00Z", due: { slot: "2026-03-30T07:00:00.000Z", week: "2026-03-23" } },
    { now: "2026-03-30T20:00:00Z", due: { slot: "2026-03-30T07:00:00.000Z", week: "2026-03-23" } },
    // more than a day late: skipped
    { now: "2026-03-31T07:00:00Z", due: null },
    // fall back on Sunday 2026-10-25: 09:00 is 07:00 UTC before, 08:00 UTC after
    { now: "2026-10-19T07:00:00Z", due: { slot: "2026-10-19T07:00:00.000Z", week: "2026-10-12" } },
    { now: "2026-10-26T07:30:00Z", due: null },
    { now: "2026-10-26T08:00:00Z", due: { slot: "2026-10-26T08:00:00.000Z", week: "2026-10-19" } },
  ])("at $now", ({ now, due }) => {
    const d = dueNewsletter(berlin, at(now));
    expect(d && { slot: new Date(d.slotMs).toISOString(), week: d.week.firstDay }).toEqual(due);
  });

  it("a week holding a DST change is 167 or 169 hours of local days", () => {
    const spring = weekOfDay("2026-03-25", "Europe/Berlin");
    expect([spring.firstDay, spring.lastDay]).toEqual(["2026-03-23", "2026-03-29"]);
    expect(new Date(spring.start).toISOString()).toBe("2026-03-22T23:00:00.000Z");
    expect((spring.end - spring.start) / 3_600_000).toBe(167);
    const fall = weekOfDay("2026-10-19", "Europe/Berlin");
    expect((fall.end - fall.start) / 3_600_000).toBe(169);
    expect(lastCompleteWeek(at("2026-03-30T07:00:00Z"), "Europe/Berlin")).toEqual(spring);
  });

  it("a Sunday slot in New York, and the next slot after a change", () => {
    const ny = { weekday: 7, time: "18:30", timeZone: "America/New_York" };
    // DST starts 2026-03-08 in New York: 18:30 EDT = 22:30 UTC
    expect(new Date(nextSlot(ny, at("2026-03-07T00:00:00Z"))).toISOString()).toBe("2026-03-08T22:30:00.000Z");
    expect(new Date(nextSlot(ny, at("2026-03-01T00:00:00Z"))).toISOString()).toBe("2026-03-01T23:30:00.000Z");
    expect(dueNewsletter(ny, at("2026-03-08T22:30:00Z"))!.week.firstDay).toBe("2026-02-23");
  });
});

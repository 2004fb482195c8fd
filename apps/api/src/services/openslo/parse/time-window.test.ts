import { describe, expect, it } from "vitest";
import { Ctx } from "./issues";
import { readTimeWindow } from "./time-window";
import type { ParsedOpenSlo } from "./types";

function read(tw: unknown) {
  const out: ParsedOpenSlo = { services: [], slos: [], slack: [], warnings: [], errors: [], documents: 1 };
  const window = readTimeWindow(tw, new Ctx({ document: 1, kind: "SLO", name: "x" }, out));
  return { window, errors: out.errors.map((e) => `${e.field}: ${e.message}`) };
}

describe("readTimeWindow", () => {
  it.each([
    { tw: [{ duration: "28d", isRolling: true }], window: { type: "rolling", days: 28 } },
    { tw: [{ duration: "4w" }], window: { type: "rolling", days: 28 } },
    { tw: [{ duration: "1M", isRolling: true }], window: { type: "rolling", days: 30 } },
    { tw: [{ duration: "1Q", isRolling: true }], window: { type: "rolling", days: 90 } },
    {
      tw: [{ duration: "1M", isRolling: false }],
      window: { type: "calendar", period: "month", timeZone: "UTC" },
    },
    {
      tw: [{ duration: "1Q", calendar: { timeZone: "Europe/Berlin" } }],
      window: { type: "calendar", period: "quarter", timeZone: "Europe/Berlin" },
    },
    {
      tw: [{ duration: "4w", isRolling: false }],
      window: { type: "calendar", period: "4w", timeZone: "UTC" },
    },
  ])("$tw.0.duration → $window.type", ({ tw, window }) => {
    expect(read(tw)).toEqual({ window, errors: [] });
  });

  it.each([
    { tw: undefined, error: "spec.timeWindow: must be a list with exactly one {duration, isRolling} item" },
    {
      tw: [{ duration: "28 days" }],
      error: "spec.timeWindow[0].duration: must be a duration such as 28d or 1M",
    },
    {
      tw: [{ duration: "91d" }],
      error: "spec.timeWindow[0].duration: a rolling window is 1 to 90 whole days",
    },
    {
      tw: [{ duration: "2M", isRolling: false }],
      error: "spec.timeWindow[0].duration: a calendar window is 1M",
    },
    {
      tw: [{ duration: "1M", isRolling: false, calendar: { timeZone: "Mars/Olympus" } }],
      error: "spec.timeWindow[0].calendar.timeZone: must be an IANA time zone",
    },
  ])("refuses $tw.0.duration, naming the field", ({ tw, error }) => {
    const r = read(tw);
    expect(r.window).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(error);
  });
});

import { describe, expect, it } from "vitest";
import { fmtDate, fmtPeriodDates, fmtRanOut, fmtRanOutAfter } from "./format";

describe("dates in the SLO's own zone, whatever the viewer's", () => {
  it.each([
    ["2026-10-01", "Oct 1"],
    ["2026-12-31", "Dec 31"],
    ["2027-01-03", "Jan 3"],
  ])("%s reads %s", (ymd, text) => expect(fmtDate(ymd)).toBe(text));

  it("a period reads from its first to its last day", () => {
    expect(fmtPeriodDates({ firstDay: "2026-11-30", lastDay: "2027-01-03" })).toBe("Nov 30 – Jan 3");
  });

  it.each([
    [{ exhaustedOn: "2026-12-02", exhaustedDay: 63, dates: { days: 92 } }, "Dec 2 (day 63 of 92)"],
    [{ exhaustedOn: "2026-12-06", exhaustedDay: 28, dates: { days: 28 } }, "Dec 6 (day 28 of 28)"],
    [{ exhaustedOn: null, exhaustedDay: null, dates: { days: 28 } }, "–"],
  ])("ran out %o reads %s", (r, text) => expect(fmtRanOut(r)).toBe(text));

  it.each([
    [{ timeToExhaustionHours: 14.4, historyDays: 2 }, "0.6 days into 2.0 days of data"],
    [{ timeToExhaustionHours: 48, historyDays: null }, "2.0 days"],
    [{ timeToExhaustionHours: null, historyDays: null }, "–"],
  ])("ran out after %o reads %s", (r, text) => expect(fmtRanOutAfter(r)).toBe(text));
});

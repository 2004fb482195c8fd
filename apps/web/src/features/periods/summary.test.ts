import type { PeriodCell, PeriodsRow } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { columnLabel, rowTrend, summarizeColumns } from "./summary";

const cell = (o: Partial<PeriodCell>): PeriodCell => ({
  start: 0,
  end: 10,
  complete: true,
  remainingAtEnd: 0.5,
  adherence: "fulfilled",
  exhausted: false,
  exhaustedAt: null,
  timeToExhaustionHours: null,
  dates: { timeZone: "UTC", firstDay: "1970-01-01", lastDay: "1970-01-01", days: 1 },
  exhaustedOn: null,
  exhaustedDay: null,
  historyDays: null,
  ...o,
});
const row = (cells: PeriodCell[]): PeriodsRow => ({
  sloId: "a",
  name: "A",
  service: "s",
  team: "t",
  endpoint: null,
  sli: "availability",
  objectivePercent: 99.9,
  kind: "explicit",
  region: null,
  windowLabel: "28-day rolling",
  cells,
});
const noData = cell({ remainingAtEnd: null, adherence: null });
const broken = (left: number, exhausted = false) =>
  cell({ remainingAtEnd: left, adherence: "broken", exhausted });

describe("periods grid summary", () => {
  it("counts, per period column, the SLOs that broke, ran out early, kept their budget or had no data", () => {
    const rows = [
      row([cell({}), broken(-0.2, true), cell({ complete: false })]),
      row([noData, broken(-0.1), broken(-0.3, true)]),
      row([cell({}), cell({ remainingAtEnd: 0.9 }), cell({ complete: false })]),
    ];
    const s = summarizeColumns(rows, 3);
    expect(s[0]).toEqual({ fulfilled: 2, broken: 0, ranOutEarly: 0, noData: 1, judged: 2 });
    expect(s[1]).toEqual({ fulfilled: 1, broken: 2, ranOutEarly: 1, noData: 0, judged: 3 });
    expect(s[2]).toEqual({ fulfilled: 2, broken: 1, ranOutEarly: 1, noData: 0, judged: 3 });
    expect(columnLabel(s[1]!, false)).toBe("2 of 3 broke");
    expect(columnLabel(s[2]!, true)).toBe("1 of 3 broken so far");
    expect(columnLabel(summarizeColumns([row([noData])], 1)[0]!, false)).toBe("no data");
  });

  it("a row missing the oldest columns counts as no data there", () => {
    expect(summarizeColumns([row([cell({})])], 2)[1]).toMatchObject({ noData: 1, judged: 0 });
  });

  it("the trend compares the last two complete periods; the running one is drawn but does not decide", () => {
    const t = rowTrend([
      cell({ remainingAtEnd: 0.8 }),
      broken(-0.1),
      cell({ complete: false, remainingAtEnd: 0.9 }),
    ]);
    expect(t).toEqual({ points: [0.8, -0.1, 0.9], direction: "worsening" });
    expect(rowTrend([broken(-0.5), cell({ remainingAtEnd: 0.3 })]).direction).toBe("improving");
    expect(rowTrend([cell({ remainingAtEnd: 0.5 }), cell({ remainingAtEnd: 0.52 })]).direction).toBe(
      "steady",
    );
    expect(rowTrend([noData, cell({ remainingAtEnd: 0.5 })])).toEqual({
      points: [null, 0.5],
      direction: "unknown",
    });
  });
});

/** An SLO's timeWindow → a Burnrate window: rolling 1 to 90 days, or calendar month, quarter or four ISO weeks. */
import { WEEKS_PER_4W_PERIOD, fourWeekPeriodIndex, isTimeZone, isoWeekOf } from "@burnrate/slo-core";
import type { WindowSpec } from "../model";
import { isObj } from "./document";
import type { Ctx } from "./issues";

export function readTimeWindow(tw: unknown, c: Ctx): WindowSpec | null {
  if (!Array.isArray(tw) || tw.length !== 1 || !isObj(tw[0]))
    return c.err("spec.timeWindow", "must be a list with exactly one {duration, isRolling} item");
  const w = tw[0];
  const m = typeof w.duration === "string" ? /^(\d+)([mhdwMQY])$/.exec(w.duration.trim()) : null;
  if (!m)
    return c.err(
      "spec.timeWindow[0].duration",
      `must be a duration such as 28d or 1M (got ${JSON.stringify(w.duration ?? null)})`,
    );
  const n = Number(m[1]);
  const unit = m[2]!;
  const rolling = w.isRolling === true || (w.isRolling === undefined && w.calendar === undefined);
  if (w.isRolling === true && w.calendar !== undefined)
    return c.err("spec.timeWindow[0].calendar", "cannot be set when isRolling is true");
  if (rolling) {
    const days =
      unit === "d" ? n : unit === "w" ? n * 7 : unit === "M" ? n * 30 : unit === "Q" ? n * 90 : NaN;
    if (!(Number.isInteger(days) && days >= 1 && days <= 90))
      return c.err(
        "spec.timeWindow[0].duration",
        `a rolling window is 1 to 90 whole days, e.g. 28d (got ${w.duration})`,
      );
    return { type: "rolling", days };
  }
  const period =
    n === 1 && unit === "M"
      ? "month"
      : n === 1 && unit === "Q"
        ? "quarter"
        : n === 4 && unit === "w"
          ? "4w"
          : null;
  if (!period)
    return c.err(
      "spec.timeWindow[0].duration",
      `a calendar window is 1M (month), 1Q (quarter) or 4w (four ISO weeks); got ${w.duration}`,
    );
  const cal = isObj(w.calendar) ? w.calendar : {};
  const tz = cal.timeZone === undefined ? "UTC" : cal.timeZone;
  if (typeof tz !== "string" || !isTimeZone(tz))
    return c.err(
      "spec.timeWindow[0].calendar.timeZone",
      `must be an IANA time zone such as Europe/Berlin (got ${JSON.stringify(tz)})`,
    );
  const start = cal.startTime;
  if (start !== undefined) {
    const m = typeof start === "string" ? START_TIME.exec(start) : null;
    if (!m)
      return c.err(
        "spec.timeWindow[0].calendar.startTime",
        `must be a date and time such as 2024-01-01 00:00:00 (got ${JSON.stringify(start)})`,
      );
    if (!isPeriodStart(period, m))
      c.warn(
        "spec.timeWindow[0].calendar.startTime",
        `${start} is not used: Burnrate's ${PERIOD_STARTS[period]} in ${tz}`,
      );
  }
  return { type: "calendar", period, timeZone: tz };
}

/** OpenSLO's calendar start: "2006-01-02 15:04:05" (Go's time.DateTime), read in the window's time zone. */
const START_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const PERIOD_STARTS = {
  month: "months start at midnight on the 1st",
  quarter: "quarters start at midnight on January, April, July and October 1st",
  "4w": "four-week periods start at midnight on the Monday of ISO weeks 1, 5, 9, … 49",
} as const;

/** Whether a start time is a boundary of Burnrate's periods, so that it says what Burnrate does anyway. */
function isPeriodStart(period: keyof typeof PERIOD_STARTS, m: RegExpExecArray): boolean {
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (h !== 0 || mi !== 0 || s !== 0) return false;
  if (period === "month") return d === 1;
  if (period === "quarter") return d === 1 && (mo - 1) % 3 === 0;
  const { week } = isoWeekOf(y, mo, d);
  return (
    new Date(Date.UTC(y, mo - 1, d)).getUTCDay() === 1 &&
    (week - 1) % WEEKS_PER_4W_PERIOD === 0 &&
    fourWeekPeriodIndex(week) === Math.floor((week - 1) / WEEKS_PER_4W_PERIOD) + 1
  );
}

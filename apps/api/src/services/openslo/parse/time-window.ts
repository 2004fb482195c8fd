/** An SLO's timeWindow → a Burnrate window: rolling 1 to 90 days, or calendar month, quarter or four ISO weeks. */
import { isTimeZone } from "@burnrate/slo-core";
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
  return { type: "calendar", period, timeZone: tz };
}

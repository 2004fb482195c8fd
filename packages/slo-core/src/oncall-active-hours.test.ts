import { describe, expect, it } from "vitest";
import { activeHoursEdges, isActiveAt, type ActiveHours, type Weekday } from "./oncall-active-hours.js";
import { HOUR_MS, MINUTE_MS } from "./time-units.js";

const utc = (iso: string): number => Date.parse(iso);
const hm = (h: number, m = 0): number => h * 60 + m;
const window = (day: Weekday, from: number, to: number): ActiveHours => [
  { days: [day], fromMinute: from, toMinute: to },
];

/**
 * Windows whose opening or closing wall time falls in the hour a DST change skips or repeats. Berlin:
 * 2026-03-29 02:00 CET → 03:00 CEST (01:00 UTC), 2026-10-25 03:00 CEST → 02:00 CET (01:00 UTC).
 * New York: 2026-03-08 02:00 EST → 03:00 EDT (07:00 UTC), 2026-11-01 02:00 EDT → 01:00 EST (06:00 UTC).
 */
const CASES: {
  name: string;
  timeZone: string;
  hours: ActiveHours;
  /** The night's edges, in UTC. */
  edges: string[];
  /** Instants and whether the window holds them. */
  rows: [string, boolean][];
}[] = [
  {
    name: "Berlin, autumn: Sat 22:00 → 02:30 closes at the first 02:30 (CEST)",
    timeZone: "Europe/Berlin",
    hours: window("sat", hm(22), hm(2, 30)),
    edges: ["2026-10-24T20:00:00.000Z", "2026-10-25T00:30:00.000Z"],
    rows: [
      ["2026-10-25T00:29:00Z", true],
      ["2026-10-25T00:30:00Z", false],
      ["2026-10-25T01:15:00Z", false], // 02:15 CET, the repeated hour
      ["2026-10-25T01:45:00Z", false],
    ],
  },
  {
    name: "Berlin, autumn: Sun 02:30 → 09:00 opens at the first 02:30 (CEST) and stays open",
    timeZone: "Europe/Berlin",
    hours: window("sun", hm(2, 30), hm(9)),
    edges: ["2026-10-25T00:30:00.000Z", "2026-10-25T08:00:00.000Z"],
    rows: [
      ["2026-10-25T00:29:00Z", false],
      ["2026-10-25T00:30:00Z", true],
      ["2026-10-25T01:15:00Z", true], // 02:15 CET: earlier on the wall clock than the opening, still open
      ["2026-10-25T07:59:00Z", true],
      ["2026-10-25T08:00:00Z", false],
    ],
  },
  {
    name: "Berlin, spring: Sun 02:30 → 09:00 opens at 03:30 CEST (the skipped 02:30 moves on by the hour)",
    timeZone: "Europe/Berlin",
    hours: window("sun", hm(2, 30), hm(9)),
    edges: ["2026-03-29T01:30:00.000Z", "2026-03-29T07:00:00.000Z"],
    rows: [
      ["2026-03-29T00:59:00Z", false],
      ["2026-03-29T01:00:00Z", false], // 03:00 CEST, later on the wall clock than 02:30
      ["2026-03-29T01:29:00Z", false],
      ["2026-03-29T01:30:00Z", true],
      ["2026-03-29T06:59:00Z", true],
      ["2026-03-29T07:00:00Z", false],
    ],
  },
  {
    name: "Berlin, spring: Sat 20:00 → 02:30 closes at 03:30 CEST",
    timeZone: "Europe/Berlin",
    hours: window("sat", hm(20), hm(2, 30)),
    edges: ["2026-03-28T19:00:00.000Z", "2026-03-29T01:30:00.000Z"],
    rows: [
      ["2026-03-29T00:59:00Z", true],
      ["2026-03-29T01:00:00Z", true], // 03:00 CEST
      ["2026-03-29T01:29:00Z", true],
      ["2026-03-29T01:30:00Z", false],
    ],
  },
  {
    name: "New York, autumn: Sun 01:30 → 05:00 opens at the first 01:30 (EDT)",
    timeZone: "America/New_York",
    hours: window("sun", hm(1, 30), hm(5)),
    edges: ["2026-11-01T05:30:00.000Z", "2026-11-01T10:00:00.000Z"],
    rows: [
      ["2026-11-01T05:29:00Z", false],
      ["2026-11-01T05:30:00Z", true],
      ["2026-11-01T06:15:00Z", true], // 01:15 EST, the repeated hour
      ["2026-11-01T09:59:00Z", true],
      ["2026-11-01T10:00:00Z", false],
    ],
  },
  {
    name: "New York, autumn: Sat 18:00 → 01:30 closes at the first 01:30 (EDT)",
    timeZone: "America/New_York",
    hours: window("sat", hm(18), hm(1, 30)),
    edges: ["2026-10-31T22:00:00.000Z", "2026-11-01T05:30:00.000Z"],
    rows: [
      ["2026-11-01T05:29:00Z", true],
      ["2026-11-01T05:30:00Z", false],
      ["2026-11-01T06:15:00Z", false], // 01:15 EST
    ],
  },
  {
    name: "New York, spring: Sat 20:00 → 02:30 closes at 03:30 EDT",
    timeZone: "America/New_York",
    hours: window("sat", hm(20), hm(2, 30)),
    edges: ["2026-03-08T01:00:00.000Z", "2026-03-08T07:30:00.000Z"],
    rows: [
      ["2026-03-08T06:59:00Z", true],
      ["2026-03-08T07:00:00Z", true], // 03:00 EDT
      ["2026-03-08T07:30:00Z", false],
    ],
  },
  {
    name: "New York, spring: a window inside the skipped hour runs an hour later (03:10–03:50 EDT)",
    timeZone: "America/New_York",
    hours: window("sun", hm(2, 10), hm(2, 50)),
    edges: ["2026-03-08T07:10:00.000Z", "2026-03-08T07:50:00.000Z"],
    rows: [
      ["2026-03-08T06:59:00Z", false],
      ["2026-03-08T07:09:00Z", false],
      ["2026-03-08T07:10:00Z", true],
      ["2026-03-08T07:50:00Z", false],
    ],
  },
];

describe("active hours across DST: isActiveAt agrees with activeHoursEdges", () => {
  it.each(CASES)("$name", ({ timeZone, hours, edges, rows }) => {
    const from = utc(rows[0]![0]) - 12 * HOUR_MS;
    const to = utc(rows[0]![0]) + 12 * HOUR_MS;
    const listed = activeHoursEdges(hours, timeZone, from, to);
    expect(listed.map((t) => new Date(t).toISOString())).toEqual(edges);
    for (const [at, active] of rows) expect(isActiveAt(hours, timeZone, utc(at)), at).toBe(active);
    // Minute by minute over the day: the answer changes only at a listed edge.
    let before = isActiveAt(hours, timeZone, from);
    for (let t = from + MINUTE_MS; t < to; t += MINUTE_MS) {
      const now = isActiveAt(hours, timeZone, t);
      if (now !== before) expect(listed, new Date(t).toISOString()).toContain(t);
      before = now;
    }
  });
});

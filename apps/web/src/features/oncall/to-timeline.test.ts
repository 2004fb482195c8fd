import type { ShiftsResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { toTimeline } from "./to-timeline";

const DAY = 86_400_000;
const t0 = Date.parse("2026-01-05T09:00:00Z");
const at = (days: number) => new Date(t0 + days * DAY).toISOString();
const shift = (
  position: "main" | "backup",
  email: string,
  from: number,
  to: number,
  source = "rotation",
) => ({
  position,
  email,
  name: email.split("@")[0]!,
  source: source as "rotation",
  layer: 0,
  period: Math.floor(from / 7),
  start: at(from),
  end: at(to),
});

describe("toTimeline", () => {
  const data: ShiftsResponse = {
    scheduleId: "s",
    from: at(3.5), // in the middle of period 1
    to: at(28),
    periods: [0, 1, 2, 3].map((k) => ({ layer: 0, index: k, start: at(7 * k), end: at(7 * k + 7) })),
    shifts: [
      shift("main", "a@x", 3.5, 7),
      shift("main", "b@x", 7, 10),
      shift("main", "z@x", 10, 11, "override"),
      shift("main", "b@x", 11, 14),
      shift("backup", "b@x", 3.5, 7),
    ],
  };
  const tl = toTimeline(data, ["main", "backup"], ["a@x", "b@x"]);

  it("places each shift across the range in percent", () => {
    const main = tl.rows[0]!.bars;
    // the range is 24.5 days: 3.5 days is 14.286%
    expect(main.map((b) => [b.leftPct, b.widthPct])).toEqual([
      [0, 14.286],
      [14.286, 12.245],
      [26.531, 4.082],
      [30.612, 12.245],
    ]);
    expect(tl.rows.map((r) => r.label)).toEqual(["Main", "Backup"]);
  });

  it("keeps a colour per person, with people from outside the rotation after its members", () => {
    expect(tl.rows[0]!.bars.map((b) => b.color)).toEqual([0, 1, 2, 1]);
    expect(tl.rows[1]!.bars[0]!.color).toBe(1);
    expect(tl.rows[0]!.bars[2]!.source).toBe("override");
  });

  it("marks where each period starts, clipped to the range", () => {
    expect(tl.markers.map((m) => [m.label, m.leftPct])).toEqual([
      ["Period 1", 0],
      ["Period 2", 14.286],
      ["Period 3", 42.857],
      ["Period 4", 71.429],
    ]);
  });
});

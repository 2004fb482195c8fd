import { describe, expect, it } from "vitest";
import { workbookTiers, type AlertTier } from "./alert-tier.js";
import type { MinuteSeries } from "./prefix-sums.js";
import { replayPages } from "./replay-pages.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

const START = Date.parse("2026-03-01T00:00:00Z");
const PER_MINUTE = 1000;

/** `days` of 1000 req/min; each outage is [startMinute, minutes, errorRate]. */
function history(days: number, outages: [number, number, number][]): MinuteSeries {
  const n = days * 24 * 60;
  const total = new Float64Array(n).fill(PER_MINUTE);
  const good = new Float64Array(n).fill(PER_MINUTE);
  for (const [from, len, rate] of outages)
    for (let i = from; i < from + len && i < n; i++) good[i] = PER_MINUTE * (1 - rate);
  return { startMs: START, good, total };
}

describe("replayPages", () => {
  const tiers = workbookTiers(28 * DAY_MS);
  const pageTiers = tiers.filter((t) => t.severity === "page");

  it.each([
    { name: "clean history", outages: [] as [number, number, number][], pages: 0, tickets: 0 },
    {
      name: "one 30-min full outage",
      outages: [[2000, 30, 1]] as [number, number, number][],
      pages: 1,
      tickets: 0,
    },
    {
      name: "two outages a day apart",
      outages: [
        [2000, 30, 1],
        [2000 + 1440, 30, 1],
      ] as [number, number, number][],
      pages: 2,
      tickets: 0,
    },
  ])("$name with page tiers only → $pages pages", ({ outages, pages, tickets }) => {
    const r = replayPages(history(3, outages), 0.999, pageTiers);
    expect(r.pages).toBe(pages);
    expect(r.tickets).toBe(tickets);
    expect(r.firstFiredAtMs.length).toBe(pages + tickets);
    for (const [i, [from]] of outages.entries()) {
      const fired = r.firstFiredAtMs[i] ?? 0;
      // Decided at the outage's first minute (its windows end with that minute), as the worker would.
      expect(fired).toBe(START + from * MINUTE_MS);
    }
  });

  it("a slow burn that only trips the ticket tiers counts as a ticket", () => {
    // 0.4% errors for 12 h: burn 4 > 2.8 (fast ticket) but < 5.6 (slow page)
    const r = replayPages(history(3, [[1440, 720, 0.004]]), 0.999, tiers);
    expect(r).toMatchObject({ pages: 0, tickets: 1 });
  });

  it("a ticket that escalates to a page is one page episode", () => {
    const r = replayPages(
      history(3, [
        [1440, 720, 0.004],
        [1440 + 600, 30, 1],
      ]),
      0.999,
      tiers,
    );
    expect(r.pages + r.tickets).toBe(r.firstFiredAtMs.length);
    expect(r.pages).toBe(1);
  });

  it("the book's 99.7% single-window rule evaluated every 5 min", () => {
    const tier: AlertTier = {
      name: "book",
      severity: "page",
      longWindowMs: HOUR_MS,
      shortWindowMs: null,
      factor: 2,
    };
    const quiet = replayPages(history(1, [[300, 60, 0.006]]), 0.997, [tier]); // exactly 200% of the hourly budget
    const loud = replayPages(history(1, [[300, 60, 0.007]]), 0.997, [tier]);
    expect(quiet.pages).toBe(0);
    expect(loud.pages).toBe(1);
  });

  it("decides every minute and never past `untilMs`: episodes, their ends and every event", () => {
    // A 30-minute full outage from minute 100 and another from minute 300, on 1 day of history.
    const h = history(1, [
      [100, 30, 1],
      [300, 30, 1],
    ]);
    const full = replayPages(h, 0.999, pageTiers);
    expect(full.episodes.map((e) => [e.firedAtMs, e.severity])).toEqual([
      [START + 100 * MINUTE_MS, "page"],
      [START + 300 * MINUTE_MS, "page"],
    ]);
    // Replayed up to the end of minute 310 only: the second episode is still firing, nothing after is seen.
    const cut = replayPages(h, 0.999, pageTiers, { untilMs: START + 311 * MINUTE_MS });
    expect(cut.episodes).toHaveLength(2);
    expect(cut.episodes[1]).toEqual({
      firedAtMs: START + 300 * MINUTE_MS,
      resolvedAtMs: null,
      severity: "page",
    });
    expect(cut.events.at(-1)).toEqual({ atMs: START + 300 * MINUTE_MS, kind: "refired" });
    expect(cut.events.every((e) => e.atMs <= START + 310 * MINUTE_MS)).toBe(true);
    // Before the cut, the two replays agree event by event.
    expect(full.events.filter((e) => e.atMs <= START + 310 * MINUTE_MS)).toEqual(cut.events);
    expect(full.episodes[0]!.resolvedAtMs).toBe(cut.episodes[0]!.resolvedAtMs);
  });

  it("refuses a non-positive interval", () => {
    expect(() => replayPages(history(1, []), 0.999, tiers, { evalEveryMs: 0 })).toThrow(RangeError);
  });
});

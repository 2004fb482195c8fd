import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workbookTiers } from "./alert-tier.js";
import { DEFAULT_LOW_TRAFFIC_GUARD } from "./decide-tier.js";
import { evaluateTiers } from "./evaluate.js";
import { buildPrefixSums, windowCounts, type PrefixSums, type SampledSums } from "./prefix-sums.js";
import { evaluationInstants, minuteEnd, statusFromSums, type SloModel } from "./slo-status.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";
import type { EventCounts, SloWindow } from "./types.js";

const START = Date.parse("2026-02-20T00:00:00Z");

/** What the store does: the running total before each instant, read off every minute. */
function sample(p: PrefixSums, instants: number[], offset: EventCounts = { good: 0, total: 0 }): SampledSums {
  const at = new Map<number, EventCounts>();
  for (const t of instants) {
    const c = windowCounts(p, p.startMs, t);
    at.set(t, { good: c.good + offset.good, total: c.total + offset.total });
  }
  return { at };
}

describe("SampledSums", () => {
  const p = buildPrefixSums({ startMs: START, good: [9, 8, 7, 6, 5], total: [10, 10, 10, 10, 10] });
  const s = sample(p, [START + MINUTE_MS, START + 3 * MINUTE_MS, START + 5 * MINUTE_MS]);

  it.each([
    { from: START + MINUTE_MS, to: START + 3 * MINUTE_MS, good: 15, total: 20 },
    { from: START + MINUTE_MS, to: START + 5 * MINUTE_MS, good: 26, total: 40 },
    { from: START + 3 * MINUTE_MS, to: START + 3 * MINUTE_MS, good: 0, total: 0 },
  ])("window [$from, $to) is the difference of two running totals", ({ from, to, good, total }) => {
    expect(windowCounts(s, from, to)).toEqual({ good, total });
  });

  it("refuses an instant that was not sampled, rather than guessing", () => {
    expect(() => windowCounts(s, START + 2 * MINUTE_MS, START + 5 * MINUTE_MS)).toThrow(/not|no cumulative/);
  });

  it("the origin of the running totals does not matter", () => {
    const shifted = sample(p, [START + MINUTE_MS, START + 5 * MINUTE_MS], { good: 1e9, total: 2e9 });
    expect(windowCounts(shifted, START + MINUTE_MS, START + 5 * MINUTE_MS)).toEqual({ good: 26, total: 40 });
  });
});

describe("evaluationInstants", () => {
  it("lists the current minute's end, every status and tier window start, and the period start", () => {
    const now = Date.parse("2026-03-10T12:34:56Z");
    const model = {
      window: { type: "calendar", period: "month" } as SloWindow,
      tiers: [
        {
          name: "book",
          severity: "page" as const,
          longWindowMs: 90 * MINUTE_MS,
          shortWindowMs: null,
          factor: 2,
        },
      ],
    };
    const end = minuteEnd(now);
    expect(evaluationInstants(model, now)).toEqual(
      [
        Date.parse("2026-03-01T00:00:00Z"),
        end - 3 * DAY_MS,
        end - DAY_MS,
        end - 6 * HOUR_MS,
        end - 2 * HOUR_MS,
        end - 90 * MINUTE_MS,
        end - HOUR_MS,
        end - 30 * MINUTE_MS,
        end - 5 * MINUTE_MS,
        end,
      ].sort((a, b) => a - b),
    );
  });
});

describe("status and tiers from sampled running totals", () => {
  const windows: SloWindow[] = [
    { type: "rolling", days: 28 },
    { type: "rolling", days: 7 },
    { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
    { type: "calendar", period: "4w" },
    { type: "calendar", period: "month", timeZone: "Asia/Kathmandu" },
  ];
  // 35 days of minutes, mostly healthy, with random bursts of failures.
  const minutes = 35 * 1440;
  it("equal the numbers from every minute (occurrences), for any data, window and objective", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: windows.length - 1 }),
        fc.constantFrom(0.9, 0.99, 0.995, 0.999, 0.9999),
        fc.integer({ min: 3 * 1440, max: minutes - 1 }),
        fc.array(
          fc.record({ at: fc.nat(minutes - 1), len: fc.integer({ min: 1, max: 600 }), bad: fc.nat(50) }),
          {
            maxLength: 6,
          },
        ),
        fc.integer({ min: 0, max: 3 }),
        (w, objective, nowIdx, bursts, quiet) => {
          const total = new Float64Array(minutes);
          const good = new Float64Array(minutes);
          for (let i = 0; i < minutes; i++) {
            total[i] = i % 7 < quiet ? 0 : 100 + (i % 13); // some minutes without traffic
            good[i] = total[i]!;
          }
          for (const b of bursts)
            for (let i = b.at; i < Math.min(minutes, b.at + b.len); i++)
              good[i] = Math.max(0, total[i]! - b.bad);
          const p = buildPrefixSums({ startMs: START, good, total });
          const nowMs = START + nowIdx * MINUTE_MS + 17_000;
          const model: SloModel = {
            objective,
            window: windows[w]!,
            method: "occurrences",
            tiers: workbookTiers(28 * DAY_MS),
            guard: DEFAULT_LOW_TRAFFIC_GUARD,
          };
          const s = sample(p, evaluationInstants(model, nowMs), { good: 123, total: 456 });
          expect(statusFromSums(model, s, nowMs)).toEqual(statusFromSums(model, p, nowMs));
          const toMs = minuteEnd(nowMs);
          expect(evaluateTiers(s, toMs, objective, model.tiers, model.guard)).toEqual(
            evaluateTiers(p, toMs, objective, model.tiers, model.guard),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("timeslices need every minute: sampled totals are refused", () => {
    const p = buildPrefixSums({ startMs: START, good: [1], total: [1] });
    const model: SloModel = {
      objective: 0.99,
      window: { type: "rolling", days: 1 },
      method: "timeslices",
      tiers: workbookTiers(DAY_MS),
      guard: DEFAULT_LOW_TRAFFIC_GUARD,
    };
    const s = sample(p, evaluationInstants(model, START));
    expect(() => statusFromSums(model, s, START)).toThrow(/every minute/);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escalationEndMs,
  escalationTimeline,
  nextEscalationNotice,
  noticesBeforeAck,
  type EscalationCursor,
} from "./escalation.js";
import { MINUTE_MS } from "./time-units.js";

/** The book's Fig. 8.2 chain for team 1. */
const FIG_8_2 = [
  { target: "main", ackTimeoutMs: 60 * MINUTE_MS },
  { target: "backup", ackTimeoutMs: 120 * MINUTE_MS },
  { target: "team", ackTimeoutMs: 240 * MINUTE_MS },
  { target: "manager", ackTimeoutMs: 60 * MINUTE_MS },
];
const T0 = Date.parse("2026-12-07T10:00:00Z");
const minutesAfterT0 = (ms: number) => (ms - T0) / MINUTE_MS;

describe("escalation timeline (book Fig. 8.2)", () => {
  const timeline = escalationTimeline(FIG_8_2, 3, T0);

  it("main at T0, backup at +60, team at +180, manager at +420, the repeat from +480", () => {
    expect(timeline.slice(0, 5).map((n) => [n.target, minutesAfterT0(n.atMs)])).toEqual([
      ["main", 0],
      ["backup", 60],
      ["team", 180],
      ["manager", 420],
      ["main", 480],
    ]);
  });

  it("'repeat 3' is three passes after the first: four in all, the last ending at +1920 min", () => {
    expect(timeline).toHaveLength(16);
    expect(timeline.map((n) => n.pass)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(minutesAfterT0(timeline.at(-1)!.atMs)).toBe(3 * 480 + 420);
    expect(minutesAfterT0(escalationEndMs(FIG_8_2, 3, T0))).toBe(4 * 480);
    expect(escalationTimeline(FIG_8_2, 0, T0)).toHaveLength(4);
  });

  it.each([
    { ackAt: 0, sent: [] },
    { ackAt: 59, sent: ["main"] },
    { ackAt: 60, sent: ["main"] }, // an ack at the very moment stops the backup's notification
    { ackAt: 61, sent: ["main", "backup"] },
    { ackAt: 479, sent: ["main", "backup", "team", "manager"] },
  ])("an ack at +$ackAt min stops everything after it", ({ ackAt, sent }) => {
    expect(noticesBeforeAck(timeline, T0 + ackAt * MINUTE_MS).map((n) => n.target)).toEqual(sent);
  });

  it("without an ack every notice is sent", () => {
    expect(noticesBeforeAck(timeline, null)).toHaveLength(16);
  });

  it("notices are in time order, one per step and pass, spaced by the steps' timeouts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (timeouts, repeat) => {
          const steps = timeouts.map((ackTimeoutMs, i) => ({ target: i, ackTimeoutMs }));
          const t = escalationTimeline(steps, repeat, 0);
          if (t.length !== steps.length * (repeat + 1)) return false;
          for (let i = 1; i < t.length; i++)
            if (t[i]!.atMs - t[i - 1]!.atMs !== steps[t[i - 1]!.step]!.ackTimeoutMs) return false;
          return escalationEndMs(steps, repeat, 0) === t.at(-1)!.atMs + steps.at(-1)!.ackTimeoutMs;
        },
      ),
    );
  });
});

describe("the next notice of a running escalation", () => {
  const steps = [{ ackTimeoutMs: 4000 }, { ackTimeoutMs: 8000 }, { ackTimeoutMs: 16000 }];
  it.each([
    { at: { pass: 0, step: 0, atMs: 0 }, failed: null, next: { pass: 0, step: 1, atMs: 4000 } },
    { at: { pass: 0, step: 1, atMs: 4000 }, failed: null, next: { pass: 0, step: 2, atMs: 12000 } },
    { at: { pass: 0, step: 2, atMs: 12000 }, failed: null, next: { pass: 1, step: 0, atMs: 28000 } },
    { at: { pass: 1, step: 2, atMs: 40000 }, failed: null, next: null },
    { at: { pass: 0, step: 1, atMs: 4000 }, failed: 5000, next: { pass: 0, step: 2, atMs: 5000 } },
    { at: { pass: 0, step: 7, atMs: 0 }, failed: null, next: null },
  ])("after $at (failed at $failed): $next", ({ at, failed, next }) => {
    expect(nextEscalationNotice(steps, 1, at, failed)).toEqual(next);
  });

  it("stepping from the first notice walks exactly the timeline", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        (timeouts, repeat) => {
          const s = timeouts.map((ackTimeoutMs) => ({ target: ackTimeoutMs, ackTimeoutMs }));
          const walked: EscalationCursor[] = [];
          let c: EscalationCursor | null = { pass: 0, step: 0, atMs: T0 };
          while (c) {
            walked.push(c);
            c = nextEscalationNotice(s, repeat, c);
          }
          expect(walked).toEqual(
            escalationTimeline(s, repeat, T0).map(({ pass, step, atMs }) => ({ pass, step, atMs })),
          );
        },
      ),
    );
  });
});

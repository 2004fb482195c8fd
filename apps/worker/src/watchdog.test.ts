import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "@burnrate/slo-core";
import { isStalled, recoveryMessage, stallMessage } from "./watchdog";

describe("isStalled", () => {
  it.each([
    {
      name: "a cycle a minute ago",
      nowMs: 10 * MINUTE_MS,
      lastDoneMs: 9 * MINUTE_MS,
      startedMs: 0,
      expected: false,
    },
    {
      name: "exactly at the threshold",
      nowMs: 10 * MINUTE_MS,
      lastDoneMs: 7 * MINUTE_MS,
      startedMs: 0,
      expected: false,
    },
    {
      name: "past the threshold",
      nowMs: 10 * MINUTE_MS,
      lastDoneMs: 7 * MINUTE_MS - 1,
      startedMs: 0,
      expected: true,
    },
    {
      name: "no cycle, just started",
      nowMs: 10 * MINUTE_MS,
      lastDoneMs: null,
      startedMs: 9 * MINUTE_MS,
      expected: false,
    },
    {
      name: "no cycle for 3 min since start",
      nowMs: 10 * MINUTE_MS,
      lastDoneMs: null,
      startedMs: 6 * MINUTE_MS,
      expected: true,
    },
    {
      name: "restarted after downtime: the start gives a grace period",
      nowMs: 100 * MINUTE_MS,
      lastDoneMs: 10 * MINUTE_MS,
      startedMs: 99 * MINUTE_MS,
      expected: false,
    },
  ])("$name → $expected", ({ nowMs, lastDoneMs, startedMs, expected }) => {
    expect(isStalled({ nowMs, lastDoneMs, startedMs, stallMs: 3 * MINUTE_MS })).toBe(expected);
  });
});

describe("ops messages", () => {
  it("say how long ago the last cycle ended, and the threshold", () => {
    const text = stallMessage({
      lastDoneMs: 0,
      nowMs: 200_000,
      stallMs: 180_000,
      publicUrl: "https://b.example",
    });
    expect(text).toContain("ended 200 s ago (1970-01-01T00:00:00.000Z)");
    expect(text).toContain("threshold is 180 s");
    expect(text).toContain("https://b.example");
    expect(stallMessage({ lastDoneMs: null, nowMs: 1, stallMs: 1000, publicUrl: "x" })).toContain(
      "no cycle has completed since the worker started",
    );
    expect(recoveryMessage({ stalledSinceMs: 0, nowMs: 95_000 })).toContain("stalled for 95 s");
  });
});

import { MINUTE_MS } from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { noDataStep } from "./no-data-step";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const ago = (minutes: number) => NOW - minutes * MINUTE_MS;

describe("noDataStep", () => {
  it.each([
    { name: "never had data", lastDataMs: null, lastSeenMs: ago(90), open: false, expected: "none" },
    { name: "never seen by ingest", lastDataMs: ago(90), lastSeenMs: null, open: false, expected: "none" },
    {
      name: "never had data, alert open",
      lastDataMs: null,
      lastSeenMs: ago(90),
      open: true,
      expected: "none",
    },
    { name: "sending", lastDataMs: ago(1), lastSeenMs: ago(1), open: false, expected: "none" },
    {
      name: "quiet, not for long enough",
      lastDataMs: ago(40),
      lastSeenMs: ago(29),
      open: false,
      expected: "none",
    },
    {
      name: "quiet for exactly the limit",
      lastDataMs: ago(40),
      lastSeenMs: ago(30),
      open: false,
      expected: "fire",
    },
    { name: "quiet for longer", lastDataMs: ago(40), lastSeenMs: ago(45), open: false, expected: "fire" },
    {
      name: "still quiet, alert open",
      lastDataMs: ago(40),
      lastSeenMs: ago(45),
      open: true,
      expected: "stay",
    },
    {
      name: "sending again, alert open",
      lastDataMs: ago(1),
      lastSeenMs: ago(1),
      open: true,
      expected: "resolve",
    },
    // Ingest's wall clock counts, not the records' timestamps: a backfill of old history is not silence.
    {
      name: "old records just received",
      lastDataMs: ago(600),
      lastSeenMs: ago(2),
      open: false,
      expected: "none",
    },
  ])("$name → $expected", ({ lastDataMs, lastSeenMs, open, expected }) => {
    expect(noDataStep({ lastDataMs, lastSeenMs, noDataMinutes: 30, nowMs: NOW, open })).toBe(expected);
  });

  it.each([
    { noDataMinutes: 5, expected: "fire" },
    { noDataMinutes: 15, expected: "none" },
  ])("the SLO's own limit: $noDataMinutes min → $expected", ({ noDataMinutes, expected }) => {
    expect(
      noDataStep({ lastDataMs: ago(20), lastSeenMs: ago(10), noDataMinutes, nowMs: NOW, open: false }),
    ).toBe(expected);
  });
});

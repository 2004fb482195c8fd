import { describe, expect, it } from "vitest";
import { channelsFor, type ChannelRule } from "./channels-for";

const BOTH = new Set(["slack_dm", "email"] as const);
const AT = Date.parse("2026-06-03T12:00:00Z");
describe("the channels that reach a person", () => {
  it.each([
    { rules: [], severity: "page", available: BOTH, expected: ["email", "slack_dm"] },
    { rules: [], severity: "page", available: new Set(["slack_dm"] as const), expected: ["slack_dm"] },
    {
      rules: [
        { channel: "email", severities: ["page", "ticket"] },
        { channel: "slack_dm", severities: ["page"] },
      ],
      severity: "ticket",
      available: BOTH,
      expected: ["email"],
    },
    {
      rules: [{ channel: "slack_dm", severities: ["page"] }],
      severity: "ticket",
      available: BOTH,
      expected: [],
    },
    {
      rules: [{ channel: "email", severities: ["page"] }],
      severity: "page",
      available: new Set(["slack_dm"] as const),
      expected: [],
    },
  ])("$rules for a $severity → $expected", ({ rules, severity, available, expected }) => {
    expect(channelsFor(rules, severity, available, AT)).toEqual(expected);
  });
});

describe("rules by time of day: email 09:00–18:00 Mon–Fri in Berlin, Slack DM always", () => {
  const office: ChannelRule[] = [
    {
      channel: "email",
      severities: ["page"],
      hours: {
        windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" }],
        timeZone: "Europe/Berlin",
      },
    },
    { channel: "slack_dm", severities: ["page"] },
  ];
  // Nights out of the office, crossing DST: email 22:00 → 02:30 (an on-call evening), Slack DM always.
  const night: ChannelRule[] = [
    {
      channel: "email",
      severities: ["page"],
      hours: {
        windows: [{ days: ["sat"], from: "22:00", to: "02:30" }],
        timeZone: "Europe/Berlin",
      },
    },
    { channel: "slack_dm", severities: ["page"] },
  ];
  it.each([
    { rules: office, at: "2026-06-03T06:59:00Z", expected: ["slack_dm"] }, // Wed 08:59 CEST
    { rules: office, at: "2026-06-03T07:00:00Z", expected: ["email", "slack_dm"] }, // Wed 09:00 CEST
    { rules: office, at: "2026-06-03T15:59:00Z", expected: ["email", "slack_dm"] }, // Wed 17:59 CEST
    { rules: office, at: "2026-06-03T16:00:00Z", expected: ["slack_dm"] }, // Wed 18:00 CEST
    { rules: office, at: "2026-01-07T08:00:00Z", expected: ["email", "slack_dm"] }, // Wed 09:00 CET (winter)
    { rules: office, at: "2026-06-06T10:00:00Z", expected: ["slack_dm"] }, // Saturday noon
    // 2026-10-25: 03:00 CEST → 02:00 CET at 01:00 UTC; the window closes at the first 02:30 (00:30 UTC)
    { rules: night, at: "2026-10-25T00:29:00Z", expected: ["email", "slack_dm"] },
    { rules: night, at: "2026-10-25T00:30:00Z", expected: ["slack_dm"] },
    { rules: night, at: "2026-10-25T01:15:00Z", expected: ["slack_dm"] }, // 02:15 CET, the repeated hour
    // 2026-03-29: 02:00 CET → 03:00 CEST at 01:00 UTC; the skipped 02:30 moves on to 03:30 CEST
    { rules: night, at: "2026-03-29T01:15:00Z", expected: ["email", "slack_dm"] }, // 03:15 CEST
    { rules: night, at: "2026-03-29T01:30:00Z", expected: ["slack_dm"] }, // 03:30 CEST
  ])("at $at → $expected", ({ rules, at, expected }) => {
    expect(channelsFor(rules, "page", BOTH, Date.parse(at))).toEqual(expected);
  });

  it("a rule out of its hours leaves the person's other rules, not the defaults", () => {
    const onlyEmailByDay = [office[0]!];
    expect(channelsFor(onlyEmailByDay, "page", BOTH, Date.parse("2026-06-06T10:00:00Z"))).toEqual([]);
  });
});

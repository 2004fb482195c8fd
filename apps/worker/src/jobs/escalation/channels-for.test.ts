import { describe, expect, it } from "vitest";
import { channelsFor } from "./channels-for";

const BOTH = new Set(["slack_dm", "email"] as const);
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
    expect(channelsFor(rules, severity, available)).toEqual(expected);
  });
});

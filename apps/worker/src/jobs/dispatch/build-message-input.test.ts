import { DAY_MS, HOUR_MS, MINUTE_MS, workbookTiers, type TierDecision } from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import {
  buildMessageInput,
  formatWindow,
  messagePriority,
  sloUrl,
  worstTier,
  type MessageFacts,
} from "./build-message-input";

describe("formatWindow", () => {
  it.each([
    { ms: 5 * MINUTE_MS, expected: "5m" },
    { ms: 90 * MINUTE_MS, expected: "90m" },
    { ms: HOUR_MS, expected: "1h" },
    { ms: 6 * HOUR_MS, expected: "6h" },
    { ms: 36 * HOUR_MS, expected: "36h" },
    { ms: DAY_MS, expected: "1d" },
    { ms: 3 * DAY_MS, expected: "3d" },
  ])("$ms ms → $expected", ({ ms, expected }) => {
    expect(formatWindow(ms)).toBe(expected);
  });
});

const tier = (name: string, severity: "page" | "ticket", firing: boolean): TierDecision => ({
  tier: name,
  severity,
  firing,
  longBurnRate: 1,
  shortBurnRate: 1,
  factor: 1,
});

describe("worstTier", () => {
  it.each([
    { name: "no tiers", tiers: [], expected: undefined },
    {
      name: "none firing: the first",
      tiers: [tier("a", "ticket", false), tier("b", "page", false)],
      expected: "a",
    },
    {
      name: "a firing page before a firing ticket",
      tiers: [tier("t", "ticket", true), tier("p", "page", true), tier("q", "page", false)],
      expected: "p",
    },
    {
      name: "a firing ticket before a page that does not fire",
      tiers: [tier("p", "page", false), tier("t", "ticket", true)],
      expected: "t",
    },
  ])("$name", ({ tiers, expected }) => {
    expect(worstTier(tiers)?.tier).toBe(expected);
  });
});

describe("messagePriority", () => {
  it.each([
    { slo: "P2", alert: "P1", expected: { value: "P2", derived: false } },
    { slo: null, alert: "P1", expected: { value: "P1", derived: true } },
    { slo: null, alert: null, expected: null },
  ])("SLO $slo, alert $alert", ({ slo, alert, expected }) => {
    expect(messagePriority(slo, alert)).toEqual(expected);
  });
});

describe("sloUrl", () => {
  it.each([
    { base: "https://burnrate.example", region: null, expected: "https://burnrate.example/slos/s1" },
    {
      base: "https://burnrate.example/",
      region: "prod-eu",
      expected: "https://burnrate.example/slos/s1?region=prod-eu",
    },
  ])("$base, region $region", ({ base, region, expected }) => {
    expect(sloUrl(base, "s1", region)).toBe(expected);
  });
});

describe("buildMessageInput", () => {
  const periodMs = 28 * DAY_MS;
  const facts: MessageFacts = {
    alert: {
      id: "a1",
      kind: "burn_rate",
      state: "firing",
      severity: "page",
      priority: "P2",
      tiers: [
        { ...tier("slow-page", "page", true), longBurnRate: 6.5, factor: 6 },
        { ...tier("fast-page", "page", false), longBurnRate: 3, factor: 14.4 },
      ],
      acknowledgedBy: null,
      snoozedUntil: null,
      firedAt: new Date("2026-03-01T11:50:00Z"),
    },
    sloRow: {
      priority: null,
      endpoint: { method: "GET", route: "/cart" },
      service: { slug: "checkout", name: "Checkout", runbookUrl: "https://runbooks.example/checkout" },
    },
    slo: {
      id: "s1",
      name: "Cart availability",
      sentence: "99.9% of GET /cart requests succeed",
      runbookUrl: null,
      alerting: null,
    },
    model: { tiers: workbookTiers(periodMs) },
    status: {
      period: { startMs: 0, endMs: periodMs },
      remaining: 0.8,
      timeToExhaustionHours: 100,
      exhaustion: "within_period",
    },
    region: "prod-eu",
    deployments: [
      { version: "v2", at: new Date("2026-03-01T11:40:00Z"), regionId: "r-eu" },
      { version: "v1", at: new Date("2026-03-01T09:00:00Z"), regionId: null },
    ],
    regionSlugs: new Map([["r-eu", "prod-eu"]]),
    publicUrl: "https://burnrate.example/",
  };

  it("says which tier fires, how fast it burns and what changed", () => {
    const m = buildMessageInput(facts);
    expect(m).toEqual({
      alertId: "a1",
      kind: "burn_rate",
      noDataMinutes: 30,
      state: "firing",
      severity: "page",
      priority: { value: "P2", derived: true },
      service: { slug: "checkout", name: "Checkout" },
      endpoint: "GET /cart",
      region: "prod-eu",
      sloName: "Cart availability",
      sentence: "99.9% of GET /cart requests succeed",
      burn: {
        tier: "slow-page",
        window: "6h",
        burnRate: 6.5,
        factor: 6,
        budgetSpentInWindow: expect.closeTo((6.5 * 6 * HOUR_MS) / periodMs, 12),
      },
      budgetRemaining: 0.8,
      timeToExhaustionHours: 100,
      exhaustion: "within_period",
      deployments: [
        { version: "v2", at: "2026-03-01T11:40:00.000Z", region: "prod-eu" },
        { version: "v1", at: "2026-03-01T09:00:00.000Z", region: null },
      ],
      sloUrl: "https://burnrate.example/slos/s1?region=prod-eu",
      runbookUrl: "https://runbooks.example/checkout",
      acknowledgedBy: null,
      snoozedUntil: null,
      firedAt: "2026-03-01T11:50:00.000Z",
    });
  });

  it("a no-data alert with no tiers: the SLO's limit, a 1h window and no burn", () => {
    const m = buildMessageInput({
      ...facts,
      alert: { ...facts.alert, kind: "no_data", severity: "ticket", tiers: [] },
      slo: { ...facts.slo, runbookUrl: "https://runbooks.example/cart", alerting: { noDataMinutes: 15 } },
      sloRow: { ...facts.sloRow, priority: "P3", endpoint: null },
      region: null,
    });
    expect(m).toMatchObject({
      kind: "no_data",
      noDataMinutes: 15,
      priority: { value: "P3", derived: false },
      endpoint: null,
      region: null,
      burn: { tier: "n/a", window: "1h", burnRate: null, factor: 0, budgetSpentInWindow: null },
      sloUrl: "https://burnrate.example/slos/s1",
      runbookUrl: "https://runbooks.example/cart",
    });
  });
});

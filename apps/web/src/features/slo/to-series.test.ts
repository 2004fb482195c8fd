import type { SloSeriesResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import {
  budgetTicks,
  burnRateDomain,
  deploymentMarkers,
  periodBoundaries,
  sliDomain,
  sliTicks,
  toChartRows,
  toThresholdLines,
} from "./to-series";

const base: SloSeriesResponse = {
  sloId: "x",
  region: null,
  from: 0,
  to: 120_000,
  stepMs: 60_000,
  objectivePercent: 99.9,
  points: [
    { t: 60_000, good: 999, total: 1000, sli: 0.999, remaining: 0.5, burnRate1h: 1 },
    { t: 120_000, good: 0, total: 0, sli: null, remaining: null, burnRate1h: null },
  ],
  periods: [],
  thresholds: [
    { tier: "fast-page", severity: "page", factor: 14.4 },
    { tier: "slow-ticket", severity: "ticket", factor: 1 },
    { tier: "custom", severity: "ticket", factor: 1 },
  ],
  deployments: [],
};

describe("toChartRows", () => {
  it("converts fractions to percent and keeps no-data as null", () => {
    const rows = toChartRows(base);
    expect(rows[0]).toEqual({
      t: 60_000,
      sliPercent: 99.9,
      remainingPercent: 50,
      burnRate1h: 1,
      total: 1000,
    });
    expect(rows[1]!.sliPercent).toBeNull();
    expect(rows[1]!.remainingPercent).toBeNull();
  });
});

describe("toThresholdLines", () => {
  it("merges tiers that share a factor and sorts by factor", () => {
    expect(toThresholdLines(base)).toEqual([
      { factor: 14.4, label: "fast-page", severity: "page" },
      { factor: 1, label: "slow-ticket, custom", severity: "ticket" },
    ]);
  });
});

describe("sliDomain", () => {
  it.each([
    { objective: 99.9, slis: [99.95], lo: 99.89 },
    { objective: 90, slis: [50], lo: 45 },
  ])("objective $objective, data $slis -> lower bound $lo", ({ objective, slis, lo }) => {
    const rows = slis.map((s, i) => ({
      t: i,
      sliPercent: s,
      remainingPercent: null,
      burnRate1h: null,
      total: 1,
    }));
    expect(sliDomain(rows, objective)[0]).toBeCloseTo(lo, 6);
  });
});

describe("budgetTicks", () => {
  const rows = (vals: number[]) =>
    vals.map((v, i) => ({ t: i, sliPercent: null, remainingPercent: v, burnRate1h: null, total: 1 }));
  it.each([
    { vals: [100, 80], ticks: [0, 20, 40, 60, 80, 100] },
    { vals: [100, -233.3], ticks: [-300, -200, -100, 0, 100] },
  ])("$vals -> $ticks", ({ vals, ticks }) => {
    expect(budgetTicks(rows(vals))).toEqual(ticks);
  });
});

describe("deploymentMarkers", () => {
  it("labels markers only when they are far enough apart", () => {
    const s = {
      ...base,
      from: 0,
      to: 1000,
      deployments: [500, 0, 10, 200].map((at) => ({
        at,
        version: `v${at}`,
        kind: "deployment",
        region: null,
      })),
    };
    expect(deploymentMarkers(s, 0.1).map((m) => [m.at, m.showLabel])).toEqual([
      [0, true],
      [10, false],
      [200, true],
      [500, true],
    ]);
  });
});

describe("sliTicks", () => {
  it.each([
    { domain: [93.6, 100] as [number, number], ticks: [94, 96, 98, 100] },
    { domain: [99.89, 100] as [number, number], ticks: [99.9, 99.95, 100] },
  ])("$domain -> $ticks", ({ domain, ticks }) => {
    expect(sliTicks(domain)).toEqual(ticks);
  });
});

describe("toChartRows before the first data", () => {
  it("leaves the budget out until traffic starts (no flat 100% over an empty past)", () => {
    const series = {
      sloId: "s",
      region: null,
      from: 0,
      to: 3,
      stepMs: 1,
      objectivePercent: 99,
      points: [
        { t: 1, good: 0, total: 0, sli: null, remaining: 1, burnRate1h: null },
        { t: 2, good: 9, total: 10, sli: 0.9, remaining: -9, burnRate1h: 10 },
        { t: 3, good: 0, total: 0, sli: null, remaining: -9, burnRate1h: 10 },
      ],
      periods: [],
      thresholds: [],
      deployments: [],
    };
    expect(toChartRows(series).map((r) => r.remainingPercent)).toEqual([null, -900, -900]);
  });
});

describe("periodBoundaries", () => {
  it("marks the periods that start inside the range, not the one the range starts in", () => {
    const periods = [
      { start: -100, end: 50 },
      { start: 50, end: 200 },
      { start: 200, end: 350 },
    ];
    expect(periodBoundaries({ ...base, from: 0, periods })).toEqual([50, 200]);
    expect(periodBoundaries({ ...base, from: 50, periods })).toEqual([200]);
  });
});

describe("burnRateDomain", () => {
  const rows = (burns: (number | null)[]) =>
    burns.map((b, t) => ({ t, sliPercent: null, remainingPercent: null, burnRate1h: b, total: 1 }));
  it.each([
    { name: "no burn and no threshold: up to 2× (1× plus headroom)", burns: [null], factors: [], top: 2 },
    { name: "the highest threshold above the data", burns: [0.5, 2], factors: [14.4, 6], top: 16 },
    { name: "a burn above every threshold", burns: [30, 1], factors: [14.4], top: 33 },
  ])("$name", ({ burns, factors, top }) => {
    expect(
      burnRateDomain(
        rows(burns),
        factors.map((factor) => ({ factor })),
      ),
    ).toEqual([0, top]);
  });
});

import type { SlaResponse, SloSeriesResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import {
  budgetTicks,
  maintenanceRanges,
  markerGroups,
  periodBoundaries,
  slaLines,
  sliDomain,
  sliTicks,
  toChartRows,
  toTierPanels,
  xDomain,
  zoomRange,
  parseZoom,
} from "./to-series";

type Point = SloSeriesResponse["points"][number];
const point = (t: number, total: number, remaining: number | null, burnRates: Point["burnRates"] = {}) => ({
  t,
  good: total,
  total,
  sli: total > 0 ? 1 : null,
  remaining,
  burnRate1h: burnRates["1h"] ?? null,
  burnRates,
});

const base: SloSeriesResponse = {
  sloId: "x",
  region: null,
  from: 0,
  to: 120_000,
  stepMs: 60_000,
  objectivePercent: 99.9,
  points: [
    { t: 60_000, good: 999, total: 1000, sli: 0.999, remaining: 0.5, burnRate1h: 1, burnRates: {} },
    { t: 120_000, good: 0, total: 0, sli: null, remaining: null, burnRate1h: null, burnRates: {} },
  ],
  periods: [],
  thresholds: [],
  deployments: [],
};

describe("toChartRows", () => {
  it("converts fractions to percent and keeps no-data as null", () => {
    const rows = toChartRows(base);
    expect(rows[0]).toEqual({
      t: 60_000,
      sliPercent: 99.9,
      remainingPercent: 50,
      budgetPercent: 50,
      debtPercent: null,
      total: 1000,
    });
    expect(rows[1]!.sliPercent).toBeNull();
    expect(rows[1]!.remainingPercent).toBeNull();
  });

  it("splits the budget at 0: debt goes to its own series, and both are 0 at the steps where it crosses", () => {
    const s = { ...base, points: [0.5, 0.1, -0.2, -1.5, 0.3].map((r, i) => point(i, 10, r)) };
    const rows = toChartRows(s);
    expect(rows.map((r) => r.budgetPercent)).toEqual([50, 10, 0, 0, 30]);
    expect(rows.map((r) => r.debtPercent)).toEqual([null, 0, -20, -150, 0]);
  });

  it("leaves the budget out until traffic starts (no flat 100% over an empty past)", () => {
    const s = { ...base, points: [point(1, 0, 1), point(2, 10, -9), point(3, 0, -9)] };
    expect(toChartRows(s).map((r) => r.remainingPercent)).toEqual([null, -900, -900]);
    expect(toChartRows(s).map((r) => r.debtPercent)).toEqual([null, -900, -900]);
  });
});

describe("toTierPanels", () => {
  const s: SloSeriesResponse = {
    ...base,
    points: [
      point(1, 10, 1, { "5m": 20, "1h": 15, "6h": 4, "30m": 7, "3d": 0.5 }),
      point(2, 10, 1, { "5m": null, "1h": 2, "6h": 3, "30m": 1, "3d": 0.4 }),
    ],
    thresholds: [
      { tier: "fast-page", severity: "page", factor: 13.44, longWindow: "1h", shortWindow: "5m" },
      { tier: "slow-page", severity: "page", factor: 5.6, longWindow: "6h", shortWindow: "30m" },
      { tier: "book", severity: "ticket", factor: 2, longWindow: "3d", shortWindow: null },
    ],
  };

  it("draws each threshold against the burn rates of its own windows only", () => {
    const panels = toTierPanels(s);
    expect(panels.map((p) => [p.tier, p.factor, p.longWindow, p.shortWindow])).toEqual([
      ["fast-page", 13.44, "1h", "5m"],
      ["slow-page", 5.6, "6h", "30m"],
      ["book", 2, "3d", null],
    ]);
    expect(panels[0]!.rows).toEqual([
      { t: 1, long: 15, short: 20 },
      { t: 2, long: 2, short: null },
    ]);
    expect(panels[1]!.rows.map((r) => [r.long, r.short])).toEqual([
      [4, 7],
      [3, 1],
    ]);
    expect(panels[2]!.rows.map((r) => [r.long, r.short])).toEqual([
      [0.5, null],
      [0.4, null],
    ]);
  });

  it.each([
    { tier: 0, top: 25, why: "the 5 min burn of 20× plus headroom, rounded up to 25" },
    { tier: 1, top: 8, why: "the 30 min burn of 7× plus headroom" },
    { tier: 2, top: 3, why: "the threshold of 2× plus headroom" },
  ])("panel $tier runs from 0 to $top: $why", ({ tier, top }) => {
    expect(toTierPanels(s)[tier]!.domain).toEqual([0, top]);
  });

  it("a window missing from the points is no data, not 0", () => {
    const panels = toTierPanels({
      ...s,
      thresholds: [{ tier: "x", severity: "page", factor: 1, longWindow: "2h", shortWindow: null }],
    });
    expect(panels[0]!.rows.map((r) => r.long)).toEqual([null, null]);
  });
});

describe("sliDomain", () => {
  it.each([
    { objective: 99.9, slis: [99.95], lo: 99.89 },
    { objective: 90, slis: [50], lo: 45 },
  ])("objective $objective, data $slis -> lower bound $lo", ({ objective, slis, lo }) => {
    expect(
      sliDomain(
        slis.map((sliPercent) => ({ sliPercent })),
        objective,
      )[0],
    ).toBeCloseTo(lo, 6);
  });
});

describe("budgetTicks", () => {
  it.each([
    { vals: [100, 80], ticks: [0, 20, 40, 60, 80, 100] },
    { vals: [100, -233.3], ticks: [-300, -200, -100, 0, 100] },
  ])("$vals -> $ticks", ({ vals, ticks }) => {
    expect(budgetTicks(vals.map((remainingPercent) => ({ remainingPercent })))).toEqual(ticks);
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

const marker = (at: number, version: string, kind = "deployment", endsAt: number | null = null) => ({
  at,
  version,
  kind,
  region: null,
  endsAt,
});

describe("xDomain", () => {
  const s = (totals: number[], deployments: SloSeriesResponse["deployments"] = []) => ({
    ...base,
    from: 0,
    to: totals.length * 10,
    stepMs: 10,
    points: totals.map((total, i) => point((i + 1) * 10, total, 1)),
    deployments,
  });
  it.each([
    { name: "starts at the first step with traffic", totals: [0, 0, 0, 5, 5], markers: [], domain: [30, 50] },
    { name: "is the whole range when every step has traffic", totals: [5, 5], markers: [], domain: [0, 20] },
    { name: "is the whole range without any traffic", totals: [0, 0], markers: [], domain: [0, 20] },
    {
      name: "reaches back to a marker before the first traffic",
      totals: [0, 0, 0, 5, 5],
      markers: [marker(15, "v1")],
      domain: [15, 50],
    },
  ])("$name", ({ totals, markers, domain }) => {
    expect(xDomain(s(totals, markers))).toEqual(domain);
  });
});

describe("markerGroups", () => {
  const s = (deployments: SloSeriesResponse["deployments"]) => ({ ...base, from: 0, to: 1000, deployments });

  it("collapses markers closer than the gap into one labelled with a count", () => {
    const groups = markerGroups(s([500, 0, 10, 20, 200].map((at) => marker(at, `v${at}`))), [0, 1000], 0.1);
    expect(groups.map((g) => [g.at, g.label, g.count])).toEqual([
      [0, "3 deploys", 3],
      [200, "v200", 1],
      [500, "v500", 1],
    ]);
    expect(groups[0]!.title).toBe("deploy v0, deploy v10, deploy v20");
    // every marker keeps its own line
    expect(groups.flatMap((g) => g.members.map((m) => m.at))).toEqual([0, 10, 20, 200, 500]);
  });

  it("keeps game days distinct, and names a mixed group by its count", () => {
    const groups = markerGroups(
      s([marker(100, "failover-drill-eu", "game_day"), marker(600, "v2"), marker(610, "x", "game_day")]),
      [0, 1000],
      0.1,
    );
    expect(groups.map((g) => [g.kind, g.label])).toEqual([
      ["game_day", "game day failover-dr…"],
      ["mixed", "2 markers"],
    ]);
    expect(groups[1]!.members).toEqual([
      { at: 600, kind: "deployment" },
      { at: 610, kind: "game_day" },
    ]);
  });

  it("leaves out markers outside the axis and maintenance windows (drawn as ranges)", () => {
    const groups = markerGroups(
      s([marker(50, "old"), marker(300, "v3"), marker(400, "db", "maintenance", 500)]),
      [100, 1000],
    );
    expect(groups.map((g) => g.label)).toEqual(["v3"]);
  });
});

describe("maintenanceRanges", () => {
  it("clips windows to the axis and drops those wholly outside it", () => {
    const s = {
      ...base,
      deployments: [
        marker(50, "a", "maintenance", 150),
        marker(300, "b", "maintenance", 400),
        marker(900, "c", "maintenance", 2000),
        marker(10, "d", "maintenance", 90),
        marker(500, "v5"),
      ],
    };
    expect(maintenanceRanges(s, [100, 1000])).toEqual([
      { from: 100, to: 150, label: "maintenance a" },
      { from: 300, to: 400, label: "maintenance b" },
      { from: 900, to: 1000, label: "maintenance c" },
    ]);
  });
});

describe("zoomRange", () => {
  it.each([
    { a: 100, b: 500, min: 60, range: [100, 500] },
    { a: 500, b: 100, min: 60, range: [100, 500] },
    { a: 100, b: 130, min: 60, range: null },
    { a: 100, b: 100, min: 0, range: null },
  ])("$a → $b (at least $min) is $range", ({ a, b, min, range }) => {
    expect(zoomRange(a, b, min)).toEqual(range);
  });
});

describe("parseZoom", () => {
  it.each([
    { from: "1000", to: "2000", zoom: { from: 1000, to: 2000 } },
    { from: "2000", to: "1000", zoom: null },
    { from: "", to: "2000", zoom: null },
    { from: "1e3", to: "2000", zoom: null },
    { from: "-5", to: "2000", zoom: null },
  ])("from=$from to=$to", ({ from, to, zoom }) => {
    expect(parseZoom(from, to)).toEqual(zoom);
  });
});

describe("slaLines", () => {
  const sla = (over: Partial<SlaResponse>): SlaResponse => ({
    id: "a",
    name: "Roundtrip",
    description: null,
    services: [{ slug: "files", name: "Files", team: "t" }],
    teams: ["t"],
    sli: { type: "latency", thresholdMs: 5000 },
    objectivePercent: 90,
    window: { type: "calendar", period: "month" },
    tiers: [],
    credits: null,
    customers: null,
    children: [
      {
        id: "c",
        service: "files",
        team: "t",
        endpoint: "GET /f",
        name: null,
        objectivePercent: 95,
        sli: { type: "latency", thresholdMs: 5000 },
      },
    ],
    thresholds: [50],
    notify: { stakeholderGroups: [] },
    createdAt: "",
    updatedAt: "",
    ...over,
  });
  it.each([
    {
      name: "an endpoint SLO: the SLA and its endpoint SLA",
      slo: { service: "files", endpoint: "GET /f", sli: { type: "latency" as const, thresholdMs: 5000 } },
      slas: [sla({})],
      lines: [90, 95],
    },
    {
      name: "a whole-service SLO: the SLA only",
      slo: { service: "files", endpoint: null, sli: { type: "latency" as const, thresholdMs: 5000 } },
      slas: [sla({})],
      lines: [90],
    },
    {
      name: "another latency threshold: none",
      slo: { service: "files", endpoint: "GET /f", sli: { type: "latency" as const, thresholdMs: 1000 } },
      slas: [sla({})],
      lines: [],
    },
    {
      name: "availability SLO under an availability SLA",
      slo: { service: "files", endpoint: null, sli: { type: "availability" as const } },
      slas: [sla({ sli: { type: "availability" }, objectivePercent: 99.5 })],
      lines: [99.5],
    },
    {
      name: "an SLA of other services: none",
      slo: { service: "files", endpoint: null, sli: { type: "availability" as const } },
      slas: [sla({ sli: { type: "availability" }, services: [{ slug: "x", name: "X", team: "t" }] })],
      lines: [],
    },
  ])("$name", ({ slo, slas, lines }) => {
    expect(slaLines(slo, slas).map((l) => l.objectivePercent)).toEqual(lines);
  });
});

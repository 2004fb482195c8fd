import type { OverviewRow } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { sortRows, toServiceGroups, toSloRegionGrid } from "./rows";

const row = (o: Partial<OverviewRow>): OverviewRow => ({
  sloId: "s1",
  name: "A",
  service: "svc",
  team: "t",
  endpoint: null,
  sli: "availability",
  objectivePercent: 99.9,
  kind: "explicit",
  sentence: "",
  region: "prod-eu",
  good: 1,
  total: 1,
  sliRatio: 1,
  remainingFraction: 1,
  burnRate1h: 0,
  burnRate6h: 0,
  timeToExhaustionHours: null,
  exhaustion: null,
  firing: false,
  alertSeverity: null,
  state: "healthy",
  ...o,
});

describe("sortRows", () => {
  const rows = [
    row({ sloId: "a", name: "Alpha", remainingFraction: 0.5, burnRate1h: 2 }),
    row({ sloId: "b", name: "Beta", remainingFraction: 0.1, burnRate1h: null, state: "low" }),
    row({
      sloId: "c",
      name: "Gamma",
      remainingFraction: 0.9,
      firing: true,
      alertSeverity: "ticket",
      state: "firing",
    }),
    row({
      sloId: "d",
      name: "Delta",
      remainingFraction: null,
      region: null,
      state: "no-data",
      sliRatio: null,
    }),
    row({
      sloId: "e",
      name: "Eps",
      remainingFraction: 0.7,
      firing: true,
      alertSeverity: "page",
      state: "firing",
    }),
  ];
  it("puts firing first (pages before tickets) whatever the column and direction", () => {
    for (const dir of ["asc", "desc"] as const)
      expect(
        sortRows(rows, "name", dir)
          .map((r) => r.sloId)
          .slice(0, 2),
      ).toEqual(["e", "c"]);
  });
  it("sorts by budget left, no data last in both directions", () => {
    expect(sortRows(rows, "budget", "asc").map((r) => r.sloId)).toEqual(["e", "c", "b", "a", "d"]);
    expect(sortRows(rows, "budget", "desc").map((r) => r.sloId)).toEqual(["e", "c", "a", "b", "d"]);
  });
  it("sorts by burn rate and by name", () => {
    expect(sortRows(rows, "burn1h", "desc").map((r) => r.sloId)).toEqual(["e", "c", "a", "d", "b"]);
    expect(sortRows(rows, "name", "asc").map((r) => r.sloId)).toEqual(["e", "c", "a", "b", "d"]);
  });
});

describe("grids", () => {
  const rows = [
    row({ sloId: "x", name: "X", service: "b", region: "prod-us" }),
    row({ sloId: "x", name: "X", service: "b", region: "prod-eu", state: "exhausted" }),
    row({ sloId: "y", name: "Y", service: "a", region: "prod-eu" }),
  ];
  it("team grid: SLO rows × region columns", () => {
    const g = toSloRegionGrid(rows);
    expect(g.regions).toEqual(["prod-eu", "prod-us"]);
    expect(g.rows.map((r) => [r.service, r.name, Object.keys(r.cells).sort()])).toEqual([
      ["a", "Y", ["prod-eu"]],
      ["b", "X", ["prod-eu", "prod-us"]],
    ]);
  });
  it("region page: services with the worst state first", () => {
    expect(toServiceGroups(rows).map((g) => g.service)).toEqual(["b", "a"]);
  });
});

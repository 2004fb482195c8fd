import { describe, expect, it } from "vitest";
import { bracketCheck, matrixCovers, ringsDue } from "./stakeholders.js";

const T = Date.UTC(2020, 11, 1, 15, 0, 0);
const MIN = 60_000;
const rings = [
  { id: "ring1", escalateAfterMinutes: null, notified: true },
  { id: "ring2", escalateAfterMinutes: 60, notified: false },
];

describe("ringsDue (book §8.6: notify ring 2 if not resolved within 60 min)", () => {
  it("does not tell ring 2 of an outage resolved after 51 minutes", () => {
    expect(ringsDue({ nowMs: T + 90 * MIN, startedAtMs: T, resolved: true, rings })).toEqual([]);
  });
  it("tells ring 2 once the incident is open past 60 minutes, not at 60 exactly, and only once", () => {
    expect(ringsDue({ nowMs: T + 60 * MIN, startedAtMs: T, resolved: false, rings })).toEqual([]);
    expect(ringsDue({ nowMs: T + 60 * MIN + 1, startedAtMs: T, resolved: false, rings })).toEqual(["ring2"]);
    const told = rings.map((r) => ({ ...r, notified: true }));
    expect(ringsDue({ nowMs: T + 61 * MIN, startedAtMs: T, resolved: false, rings: told })).toEqual([]);
  });
});

describe("bracketCheck", () => {
  const ok = { incidentResolved: false, nextUpdateGiven: true };
  it("opens with a first message that says when the next comes", () => {
    expect(bracketCheck({ ...ok, sent: [], kind: "first" })).toEqual({ ok: true });
    expect(bracketCheck({ ...ok, sent: [], kind: "first", nextUpdateGiven: false })).toMatchObject({
      ok: false,
      status: 400,
      field: "nextUpdateInMinutes",
    });
  });
  it("needs a first message before updates, and a resolved incident for the last", () => {
    expect(bracketCheck({ ...ok, sent: [], kind: "update" })).toMatchObject({ ok: false, status: 409 });
    expect(bracketCheck({ ...ok, sent: ["first"], kind: "first" })).toMatchObject({ ok: false, status: 409 });
    expect(bracketCheck({ ...ok, sent: ["first"], kind: "last" })).toMatchObject({ ok: false, status: 409 });
    expect(
      bracketCheck({
        sent: ["first", "update"],
        kind: "last",
        incidentResolved: true,
        nextUpdateGiven: false,
      }),
    ).toEqual({ ok: true });
    expect(bracketCheck({ ...ok, sent: ["first", "last"], kind: "update" })).toMatchObject({ ok: false });
  });
});

describe("matrixCovers (book Tbl 8.4)", () => {
  const eu = { geographies: ["Europe"], products: ["Showcase"] };
  const world = { geographies: ["worldwide"], products: ["all"] };
  const usAll = { geographies: ["us", "staging"], products: ["all"] };
  it("matches a cell exactly, without case", () => {
    expect(matrixCovers(eu, { geography: "europe", products: ["showcase"] })).toBe(true);
    expect(matrixCovers(eu, { geography: "us", products: ["showcase"] })).toBe(false);
    expect(matrixCovers(eu, { geography: "Europe", products: ["Payments"] })).toBe(false);
    expect(matrixCovers(eu, { geography: "Europe", products: ["Payments", "Showcase"] })).toBe(true);
  });
  it("lets worldwide and all products match everything, on either side", () => {
    expect(matrixCovers(world, { geography: "us", products: ["payments"] })).toBe(true);
    expect(matrixCovers(eu, { geography: "worldwide", products: ["all"] })).toBe(true);
    expect(matrixCovers(eu, { geography: "worldwide", products: ["payments"] })).toBe(false);
    expect(matrixCovers(usAll, { geography: "staging", products: ["payments"] })).toBe(true);
    expect(matrixCovers(usAll, { geography: "europe", products: ["all"] })).toBe(false);
  });
});

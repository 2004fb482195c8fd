import { describe, expect, it } from "vitest";
import {
  ADOPTION_PHASES,
  ADOPTION_PHASE_INFO,
  adoptionBoard,
  quarterBefore,
  quarterEnd,
  quarterOf,
  teamAdoption,
  type ManualMilestone,
  type TeamAdoptionInput,
} from "./adoption.js";

const manual = (m: Partial<ManualMilestone> & Pick<ManualMilestone, "phase">): ManualMilestone => ({
  reached: false,
  reachedOn: null,
  targetDate: null,
  note: null,
  updatedBy: "ops@example.com",
  updatedAt: "2026-11-01T00:00:00.000Z",
  ...m,
});

describe("adoption phases", () => {
  it("describes every phase once, in order", () => {
    expect(ADOPTION_PHASE_INFO.map((p) => p.phase)).toEqual([...ADOPTION_PHASES]);
  });

  it.each([
    {
      name: "nothing known: open",
      derived: undefined,
      entry: undefined,
      want: { state: "open", source: null, reachedOn: null },
    },
    {
      name: "derived with a day",
      derived: { reached: true, since: "2026-03-04" },
      entry: undefined,
      want: { state: "reached", source: "derived", reachedOn: "2026-03-04" },
    },
    {
      name: "derived without a day",
      derived: { reached: true, since: null },
      entry: undefined,
      want: { state: "reached", source: "derived", reachedOn: null },
    },
    {
      name: "by hand",
      derived: { reached: false, since: null },
      entry: { reached: true, reachedOn: "2026-05-01" },
      want: { state: "reached", source: "manual", reachedOn: "2026-05-01" },
    },
    {
      name: "a hand entry cannot un-reach what the data shows",
      derived: { reached: true, since: "2026-03-04" },
      entry: { reached: false, targetDate: "2026-01-01" },
      want: { state: "reached", source: "derived", reachedOn: "2026-03-04", targetDate: "2026-01-01" },
    },
    {
      name: "the earlier day of data and hand entry",
      derived: { reached: true, since: "2026-03-04" },
      entry: { reached: true, reachedOn: "2026-02-01" },
      want: { state: "reached", source: "derived", reachedOn: "2026-02-01" },
    },
    {
      name: "target date passed: overdue",
      derived: undefined,
      entry: { reached: false, targetDate: "2026-12-05" },
      want: { state: "overdue", source: null, targetDate: "2026-12-05" },
    },
    {
      name: "target date today: still open",
      derived: undefined,
      entry: { reached: false, targetDate: "2026-12-06" },
      want: { state: "open", source: null, targetDate: "2026-12-06" },
    },
  ])("$name", ({ derived, entry, want }) => {
    const t = teamAdoption(
      {
        team: "a",
        name: "A",
        derived: derived ? { first_slos: derived } : {},
        manual: entry ? [manual({ phase: "first_slos", ...entry })] : [],
      },
      "2026-12-06",
    );
    const p = t.phases.find((x) => x.phase === "first_slos")!;
    expect(p).toMatchObject(want);
    expect(t.phases).toHaveLength(ADOPTION_PHASES.length);
    expect(t.reachedCount).toBe(want.state === "reached" ? 1 : 0);
  });

  it.each([
    { date: "2026-01-01", q: "2026-Q1", end: "2026-03-31" },
    { date: "2026-06-30", q: "2026-Q2", end: "2026-06-30" },
    { date: "2026-07-01", q: "2026-Q3", end: "2026-09-30" },
    { date: "2026-12-31", q: "2026-Q4", end: "2026-12-31" },
  ])("$date is in $q, which ends $end", ({ date, q, end }) => {
    expect(quarterOf(date)).toBe(q);
    expect(quarterEnd(q)).toBe(end);
  });

  it.each([
    { q: "2026-Q4", n: 0, want: "2026-Q4" },
    { q: "2026-Q4", n: 3, want: "2026-Q1" },
    { q: "2026-Q1", n: 1, want: "2025-Q4" },
    { q: "2026-Q2", n: 6, want: "2024-Q4" },
  ])("$n quarters before $q is $want", ({ q, n, want }) => {
    expect(quarterBefore(q, n)).toBe(want);
  });
});

describe("adoption board", () => {
  const team = (
    slug: string,
    derived: TeamAdoptionInput["derived"],
    entries: ManualMilestone[] = [],
  ): TeamAdoptionInput => ({ team: slug, name: slug.toUpperCase(), derived, manual: entries });

  const inputs = [
    team("a", {
      services_registered: { reached: true, since: "2026-02-10" },
      first_slos: { reached: true, since: "2026-08-01" },
    }),
    team(
      "b",
      {
        services_registered: { reached: true, since: "2026-05-01" },
        logging_apm: { reached: true, since: null },
      },
      [
        manual({ phase: "http_codes_fixed", reached: true, reachedOn: "2026-10-02" }),
        manual({ phase: "oncall_setup", targetDate: "2026-11-30" }),
      ],
    ),
    team("c", {}, [manual({ phase: "oncall_setup", targetDate: "2027-03-31" })]),
  ];
  const board = adoptionBoard(inputs, "2026-12-06");

  it("counts the teams per phase, and the overdue ones", () => {
    const byPhase = Object.fromEntries(board.counts.map((c) => [c.phase, c]));
    expect(byPhase.services_registered).toEqual({ phase: "services_registered", reached: 2, overdue: 0 });
    expect(byPhase.logging_apm?.reached).toBe(1);
    expect(byPhase.http_codes_fixed?.reached).toBe(1);
    expect(byPhase.first_slos?.reached).toBe(1);
    expect(byPhase.oncall_setup).toEqual({ phase: "oncall_setup", reached: 0, overdue: 1 });
    expect(board.counts.map((c) => c.phase)).toEqual([...ADOPTION_PHASES]);
  });

  it("trends over the last four quarters; an unknown day counts in the current quarter only", () => {
    expect(board.trend.map((t) => t.quarter)).toEqual(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    expect(board.trend.map((t) => t.counts.services_registered)).toEqual([1, 2, 2, 2]);
    expect(board.trend.map((t) => t.counts.first_slos)).toEqual([0, 0, 1, 1]);
    expect(board.trend.map((t) => t.counts.http_codes_fixed)).toEqual([0, 0, 0, 1]);
    expect(board.trend.map((t) => t.counts.logging_apm)).toEqual([0, 0, 0, 1]);
  });

  it("the book's 20-team sample (§6.12) gives 20, 20, 15, 5, 3 and the road map 0", () => {
    const sample = Array.from({ length: 20 }, (_, i) =>
      team(`t${i}`, {}, [
        manual({ phase: "http_codes_fixed", reached: true }),
        manual({ phase: "logging_apm", reached: true }),
        ...(i < 15 ? [manual({ phase: "first_slos", reached: true })] : []),
        ...(i < 5 ? [manual({ phase: "reacting_to_alerts", reached: true })] : []),
        ...(i < 3 ? [manual({ phase: "breach_analysis", reached: true })] : []),
      ]),
    );
    const b = adoptionBoard(sample, "2026-12-06");
    const n = Object.fromEntries(b.counts.map((c) => [c.phase, c.reached]));
    expect([
      n.http_codes_fixed,
      n.logging_apm,
      n.first_slos,
      n.reacting_to_alerts,
      n.breach_analysis,
    ]).toEqual([20, 20, 15, 5, 3]);
    for (const info of ADOPTION_PHASE_INFO.filter((p) => p.roadMap)) expect(n[info.phase]).toBe(0);
  });
});

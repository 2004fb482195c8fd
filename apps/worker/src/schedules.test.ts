import { describe, expect, it } from "vitest";
import { scheduleSpecs, schedulesToCreate, slotOfJobId, sweepsDue, workerSchedules } from "./schedules";

describe("schedulesToCreate", () => {
  const specs = scheduleSpecs(60_000);
  const all = (every: (id: string) => number | undefined) =>
    new Map(specs.map((s) => [s.id, every(s.id) === undefined ? undefined : { every: every(s.id) }]));

  it.each([
    { name: "Redis lost everything", existing: new Map(), expected: specs.map((s) => s.id) },
    { name: "all present", existing: all((id) => specs.find((s) => s.id === id)!.everyMs), expected: [] },
    {
      name: "one missing",
      existing: all((id) => (id === "slo-tick" ? undefined : specs.find((s) => s.id === id)!.everyMs)),
      expected: ["slo-tick"],
    },
    {
      name: "one with another interval (the configuration changed)",
      existing: all((id) => (id === "policy-tick" ? 1000 : specs.find((s) => s.id === id)!.everyMs)),
      expected: ["policy-tick"],
    },
    {
      name: "interval stored as a string",
      existing: new Map(specs.map((s) => [s.id, { every: String(s.everyMs) }])),
      expected: [],
    },
  ])("$name", ({ existing, expected }) => {
    expect(schedulesToCreate(specs, existing).map((s) => s.id)).toEqual(expected);
  });

  it("lists the tick, the policy tick, retention and the sweeps' scheduler; the sweeps ride on it at their own periods", () => {
    expect(specs.map((s) => [s.id, s.job, s.everyMs])).toEqual([
      ["slo-tick", "slo.tick", 60_000],
      ["policy-tick", "policy.evaluate", 60_000],
      ["rollups-retention", "rollups.retention", 3_600_000],
      ["sweeps", "sweeps.run", 5_000],
    ]);
    expect(workerSchedules(60_000).grouped).toEqual([
      { job: "escalation.sweep", everyMs: 5_000 },
      { job: "alert.sweep", everyMs: 60_000 },
      { job: "oncall.handoffs", everyMs: 60_000 },
      { job: "receiver.sweep", everyMs: 15_000 },
      { job: "sla.notify", everyMs: 60_000 },
      { job: "newsletter.send", everyMs: 60_000 },
      { job: "stakeholders.notify", everyMs: 30_000 },
      { job: "incident.channels", everyMs: 30_000 },
    ]);
    const every = (evalEveryMs: number, job: string) => {
      const w = workerSchedules(evalEveryMs);
      return w.grouped.find((g) => g.job === job)?.everyMs ?? w.specs.find((s) => s.job === job)?.everyMs;
    };
    expect(every(1000, "incident.channels")).toBe(5_000);
    expect(every(300_000, "incident.channels")).toBe(30_000);
    expect(every(1000, "receiver.sweep")).toBe(5_000);
    expect(every(60_000, "receiver.sweep")).toBe(15_000);
    expect(every(300_000, "stakeholders.notify")).toBe(30_000);
    expect(every(1000, "oncall.handoffs")).toBe(1000);
    expect(every(300_000, "newsletter.send")).toBe(60_000);
    expect(every(300_000, "oncall.handoffs")).toBe(60_000);
    expect(every(1000, "alert.sweep")).toBe(5_000);
    // Due escalation notices: every evaluation, and at least every 5 s.
    expect(every(1000, "escalation.sweep")).toBe(1000);
    expect(every(60_000, "escalation.sweep")).toBe(5_000);
  });

  it("a sweep whose period is not a multiple of the escalation sweep's gets a scheduler of its own", () => {
    const w = workerSchedules(1500);
    expect(w.specs.find((s) => s.job === "sweeps.run")!.everyMs).toBe(1500);
    expect(w.specs.filter((s) => s.everyMs === 5_000).map((s) => [s.id, s.job])).toEqual([
      ["alert-sweep", "alert.sweep"],
      ["receiver-sweep", "receiver.sweep"],
      ["incident-channels", "incident.channels"],
    ]);
    expect(w.grouped.map((g) => g.job)).toEqual([
      "escalation.sweep",
      "oncall.handoffs",
      "sla.notify",
      "newsletter.send",
      "stakeholders.notify",
    ]);
  });
});

describe("sweepsDue", () => {
  const { grouped } = workerSchedules(60_000);
  const minute = 1_700_000_040_000; // a whole minute

  it.each([
    { at: minute, expected: grouped.map((g) => g.job) },
    { at: minute + 5_000, expected: ["escalation.sweep"] },
    { at: minute + 15_000, expected: ["escalation.sweep", "receiver.sweep"] },
    {
      at: minute + 30_000,
      expected: ["escalation.sweep", "receiver.sweep", "stakeholders.notify", "incident.channels"],
    },
    // A slot off the 5 s grid (a scheduler created with an offset): each sweep once per period all the same.
    { at: minute + 1_234, expected: grouped.map((g) => g.job) },
    { at: minute + 6_234, expected: ["escalation.sweep"] },
  ])("the slot $at runs $expected", ({ at, expected }) => {
    expect(sweepsDue(grouped, 5_000, at)).toEqual(expected);
  });

  it("over an hour of slots, each sweep runs once per its period", () => {
    const runs = new Map<string, number>();
    for (let t = minute + 5_000; t <= minute + 3_600_000; t += 5_000)
      for (const job of sweepsDue(grouped, 5_000, t)) runs.set(job, (runs.get(job) ?? 0) + 1);
    for (const g of grouped) expect(runs.get(g.job)).toBe(3_600_000 / g.everyMs);
  });
});

describe("slotOfJobId", () => {
  it.each([
    { id: "repeat:sweeps:1700000045000", expected: 1_700_000_045_000 },
    { id: "repeat:sweeps:abc", expected: null },
    { id: "dispatch-1", expected: null },
    { id: undefined, expected: null },
  ])("$id", ({ id, expected }) => {
    expect(slotOfJobId(id)).toBe(expected);
  });
});

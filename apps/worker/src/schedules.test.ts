import { describe, expect, it } from "vitest";
import { gateEveryMs, scheduleSpecs, schedulesToCreate } from "./schedules";

describe("schedulesToCreate", () => {
  const specs = scheduleSpecs(60_000);
  const all = (every: (id: string) => number | undefined) =>
    new Map(specs.map((s) => [s.id, every(s.id) === undefined ? undefined : { every: every(s.id) }]));

  it.each([
    {
      name: "Redis lost everything: the ungated ones",
      existing: new Map(),
      expected: ["slo-tick", "rollups-retention", "slo-snapshot"],
    },
    { name: "all present", existing: all((id) => specs.find((s) => s.id === id)!.everyMs), expected: [] },
    {
      name: "one missing",
      existing: all((id) => (id === "slo-tick" ? undefined : specs.find((s) => s.id === id)!.everyMs)),
      expected: ["slo-tick"],
    },
    {
      name: "one with another interval (the configuration changed)",
      existing: all((id) => (id === "slo-snapshot" ? 1000 : specs.find((s) => s.id === id)!.everyMs)),
      expected: ["slo-snapshot"],
    },
    {
      name: "a gated one missing (it has no scheduler)",
      existing: all((id) =>
        id === "escalation-sweep" ? undefined : specs.find((s) => s.id === id)!.everyMs,
      ),
      expected: [],
    },
    {
      name: "interval stored as a string",
      existing: new Map(specs.map((s) => [s.id, { every: String(s.everyMs) }])),
      expected: [],
    },
  ])("$name", ({ existing, expected }) => {
    expect(schedulesToCreate(specs, existing).map((s) => s.id)).toEqual(expected);
  });

  it("lists the tick, the sweep, the policy tick, retention, the period snapshots, the hand-off check, the escalation and receiver sweeps, the SLA notices, the newsletters, the stakeholder rules and the incident channels", () => {
    expect(specs.map((s) => [s.id, s.job])).toEqual([
      ["slo-tick", "slo.tick"],
      ["alert-sweep", "alert.sweep"],
      ["policy-tick", "policy.evaluate"],
      ["rollups-retention", "rollups.retention"],
      ["slo-snapshot", "slo.snapshot"],
      ["oncall-handoffs", "oncall.handoffs"],
      ["escalation-sweep", "escalation.sweep"],
      ["receiver-sweep", "receiver.sweep"],
      ["sla-notices", "sla.notify"],
      ["newsletter-send", "newsletter.send"],
      ["stakeholders-notify", "stakeholders.notify"],
      ["incident-channels", "incident.channels"],
    ]);
    expect(scheduleSpecs(1000).find((s) => s.id === "incident-channels")!.everyMs).toBe(5_000);
    expect(scheduleSpecs(300_000).find((s) => s.id === "incident-channels")!.everyMs).toBe(30_000);
    expect(scheduleSpecs(1000).find((s) => s.id === "receiver-sweep")!.everyMs).toBe(5_000);
    expect(scheduleSpecs(60_000).find((s) => s.id === "receiver-sweep")!.everyMs).toBe(15_000);
    expect(scheduleSpecs(300_000).find((s) => s.id === "stakeholders-notify")!.everyMs).toBe(30_000);
    expect(scheduleSpecs(1000).find((s) => s.id === "oncall-handoffs")!.everyMs).toBe(1000);
    expect(scheduleSpecs(300_000).find((s) => s.id === "newsletter-send")!.everyMs).toBe(60_000);
    expect(scheduleSpecs(300_000).find((s) => s.id === "oncall-handoffs")!.everyMs).toBe(60_000);
    expect(scheduleSpecs(1000).find((s) => s.id === "alert-sweep")!.everyMs).toBe(5_000);
    // Period snapshots: every 5 minutes, whatever the evaluation interval.
    expect(scheduleSpecs(1000).find((s) => s.id === "slo-snapshot")!.everyMs).toBe(300_000);
    // Due escalation notices: every evaluation, and at least every 5 s.
    expect(scheduleSpecs(1000).find((s) => s.id === "escalation-sweep")!.everyMs).toBe(1000);
    expect(scheduleSpecs(60_000).find((s) => s.id === "escalation-sweep")!.everyMs).toBe(5_000);
  });

  it("gates every job but the tick, retention and the period snapshots, each on a read of its own tables", () => {
    const gated = specs.filter((s) => s.busyWhen !== undefined).map((s) => s.job);
    expect(gated.sort()).toEqual([
      "alert.sweep",
      "escalation.sweep",
      "incident.channels",
      "newsletter.send",
      "oncall.handoffs",
      "policy.evaluate",
      "receiver.sweep",
      "sla.notify",
      "stakeholders.notify",
    ]);
    const when = (job: string) => specs.find((s) => s.job === job)!.busyWhen!;
    expect(when("escalation.sweep")).toMatch(/FROM alerts WHERE state = 'firing'/);
    expect(when("escalation.sweep")).toMatch(/FROM alert_escalations WHERE next_at IS NOT NULL/);
    expect(when("receiver.sweep")).toMatch(/FROM receivers WHERE enabled/);
    expect(when("policy.evaluate")).toMatch(/FROM error_budget_policies/);
  });

  it("the gate's pace: the most frequent gated job's, slower while none has work", () => {
    // While some gated job has work, as often as the most frequent; while none has, 3 times less often, at most 15 s.
    expect(gateEveryMs(scheduleSpecs(60_000))).toEqual({ busyMs: 5_000, idleMs: 15_000 });
    expect(gateEveryMs(scheduleSpecs(1_000))).toEqual({ busyMs: 1_000, idleMs: 3_000 });
    expect(gateEveryMs(scheduleSpecs(300_000))).toEqual({ busyMs: 5_000, idleMs: 15_000 });
    expect(gateEveryMs(scheduleSpecs(60_000).filter((s) => s.busyWhen === undefined))).toBeNull();
  });
});

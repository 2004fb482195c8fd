import { describe, expect, it } from "vitest";
import { scheduleSpecs, schedulesToCreate } from "./schedules";

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
});

import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { JOBS, jobIdOf, type EnqueuedJobName, type JobName, type ScheduledJobName } from "./catalog";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME } from "./queues";

const names = Object.keys(JOBS) as JobName[];

describe("the job catalog", () => {
  it("holds every job of the worker", () => {
    expect(names.sort()).toEqual(
      [
        "alert.dispatch",
        "alert.escalate",
        "alert.sweep",
        "escalation.sweep",
        "receiver.deliver",
        "receiver.deliver-event",
        "receiver.sweep",
        "policy.evaluate",
        "oncall.handoffs",
        "newsletter.send",
        "rollups.retention",
        "sla.notify",
        "slo.backfill",
        "slo.evaluate",
        "slo.snapshot",
        "slo.tick",
        "stakeholders.notify",
        "incident.channel",
        "incident.channels",
      ].sort(),
    );
    expectTypeOf<EnqueuedJobName>().toEqualTypeOf<
      | "slo.evaluate"
      | "slo.backfill"
      | "alert.dispatch"
      | "alert.escalate"
      | "receiver.deliver"
      | "receiver.deliver-event"
      | "incident.channel"
    >();
    expectTypeOf<ScheduledJobName>().toEqualTypeOf<
      | "slo.tick"
      | "policy.evaluate"
      | "alert.sweep"
      | "rollups.retention"
      | "slo.snapshot"
      | "oncall.handoffs"
      | "escalation.sweep"
      | "receiver.sweep"
      | "sla.notify"
      | "newsletter.send"
      | "stakeholders.notify"
      | "incident.channels"
    >();
  });

  it.each(names)("%s has a schema, a queue, attempts ≥ 1 and a way to name its jobs", (name) => {
    const spec = JOBS[name];
    expect(spec.payload).toBeInstanceOf(z.ZodType);
    expect([QUEUE_NAME, BACKFILL_QUEUE_NAME]).toContain(spec.queue);
    expect(Number.isInteger(spec.opts.attempts) && spec.opts.attempts >= 1).toBe(true);
    if (spec.opts.attempts > 1) expect(spec.opts.backoff?.delay).toBeGreaterThan(0);
    expect(spec.opts.removeOnComplete === true || spec.opts.removeOnComplete > 0).toBe(true);
    // Failed jobs are kept for inspection, or dropped so that a sweep can add them again.
    expect(spec.opts.removeOnFail === true || spec.opts.removeOnFail > 0).toBe(true);
    // Exactly one of: an id from the payload (enqueued), a scheduler (scheduled).
    expect("jobId" in spec !== "scheduler" in spec).toBe(true);
  });

  it("schedulers have distinct ids and run on the main queue", () => {
    const scheduled = names.flatMap((n) => ("scheduler" in JOBS[n] ? [JOBS[n]] : []));
    expect(new Set(scheduled.map((s) => s.scheduler)).size).toBe(scheduled.length);
    for (const s of scheduled) expect(s.queue).toBe(QUEUE_NAME);
  });

  it("backfills, and only they, are on the backfill queue", () => {
    expect(names.filter((n) => JOBS[n].queue === BACKFILL_QUEUE_NAME)).toEqual(["slo.backfill"]);
  });
});

describe("job ids", () => {
  const eventId = "7f1c2a9e-0000-4000-8000-000000000001";
  const dispatch = { alertId: "a1", eventKind: "fired", eventId };
  const backfill = { sloId: "s1", version: 3 };
  const shard = { shard: 2, shards: 4, minuteMs: 1_700_000_040_000, dirty: { svc: 1_700_000_000_000 } };
  const channel = { incidentId: "7f1c2a9e-0000-4000-8000-000000000002", rev: 1_700_000_000_123 };

  it.each([
    { name: "alert.dispatch" as const, payload: dispatch, expected: `dispatch-${eventId}` },
    { name: "slo.backfill" as const, payload: backfill, expected: "backfill-s1-v3" },
    {
      name: "slo.backfill" as const,
      payload: { ...backfill, cause: "history-imp1" },
      expected: "backfill-s1-v3-history-imp1",
    },
    { name: "slo.evaluate" as const, payload: shard, expected: "eval-1700000040000-4-2" },
    {
      name: "incident.channel" as const,
      payload: channel,
      expected: `incident-channel-${channel.incidentId}-1700000000123`,
    },
  ])("$name: $expected", ({ name, payload, expected }) => {
    expect(jobIdOf(name, payload as never)).toBe(expected);
    // Deterministic: the same payload (a copy, later) gives the same id.
    expect(jobIdOf(name, structuredClone(payload) as never)).toBe(expected);
    // BullMQ refuses ids with a colon (its key separator).
    expect(expected).not.toContain(":");
  });

  it.each([
    { name: "alert.dispatch" as const, a: dispatch, b: { ...dispatch, eventId: "other-event" } },
    { name: "slo.backfill" as const, a: backfill, b: { ...backfill, version: 4 } },
    { name: "slo.backfill" as const, a: backfill, b: { ...backfill, sloId: "s2" } },
    { name: "slo.backfill" as const, a: backfill, b: { ...backfill, cause: "history-a" } },
    {
      name: "slo.backfill" as const,
      a: { ...backfill, cause: "history-a" },
      b: { ...backfill, cause: "history-b" },
    },
    { name: "slo.evaluate" as const, a: shard, b: { ...shard, shard: 3 } },
    { name: "slo.evaluate" as const, a: shard, b: { ...shard, minuteMs: shard.minuteMs + 60_000 } },
    { name: "slo.evaluate" as const, a: shard, b: { ...shard, shards: 5 } },
    { name: "incident.channel" as const, a: channel, b: { ...channel, rev: channel.rev + 1 } },
  ])("$name: a different job gets a different id", ({ name, a, b }) => {
    expect(jobIdOf(name, a as never)).not.toBe(jobIdOf(name, b as never));
  });

  it("slo.evaluate: a second tick of the same cycle that saw other dirty services names the same job", () => {
    expect(jobIdOf("slo.evaluate", { ...shard, dirty: {} })).toBe(jobIdOf("slo.evaluate", shard));
  });
});

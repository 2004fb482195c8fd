import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { JOBS } from "./catalog";
import { jobToAdd } from "./enqueue";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME } from "./queues";

describe("jobToAdd", () => {
  it("puts a job on its queue with the catalog's policy and its id", () => {
    expect(jobToAdd("slo.backfill", { sloId: "s1", version: 2 })).toEqual({
      queue: BACKFILL_QUEUE_NAME,
      name: "slo.backfill",
      data: { sloId: "s1", version: 2 },
      opts: { ...JOBS["slo.backfill"].opts, jobId: "backfill-s1-v2" },
    });
    expect(jobToAdd("alert.dispatch", { alertId: "a", eventKind: "acknowledged", eventId: "e" })).toEqual({
      queue: QUEUE_NAME,
      name: "alert.dispatch",
      data: { alertId: "a", eventKind: "acknowledged", eventId: "e" },
      opts: { ...JOBS["alert.dispatch"].opts, jobId: "dispatch-e" },
    });
  });

  it("adds the parsed payload: defaults filled, unknown keys dropped", () => {
    const payload = { shard: 0, shards: 1, minuteMs: 60_000, extra: "x" } as never;
    expect(jobToAdd("slo.evaluate", payload).data).toEqual({
      shard: 0,
      shards: 1,
      minuteMs: 60_000,
      dirty: {},
    });
  });

  it.each([
    { name: "slo.backfill" as const, payload: { sloId: "s1" } }, // no version: which backfill would it be?
    { name: "slo.backfill" as const, payload: { sloId: "s1", version: 0 } },
    { name: "slo.backfill" as const, payload: { sloId: 42, version: 1 } },
    { name: "alert.dispatch" as const, payload: { alertId: "a", eventKind: "fired" } },
    { name: "slo.evaluate" as const, payload: { shard: -1, shards: 1, minuteMs: 0 } },
    { name: "slo.evaluate" as const, payload: { shard: 0, shards: 0, minuteMs: 0 } },
    { name: "slo.evaluate" as const, payload: null },
  ])("refuses $name with $payload", ({ name, payload }) => {
    expect(() => jobToAdd(name, payload as never)).toThrow(ZodError);
  });
});

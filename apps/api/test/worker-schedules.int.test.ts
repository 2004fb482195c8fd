import { randomBytes } from "node:crypto";
import { QUEUE_NAME, createJobQueues, type JobQueues } from "@burnrate/jobs";
import { ensureSchedules, scheduleSpecs, schedulesPresent } from "@burnrate/worker/schedules";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** The worker's scheduler checks on a real Redis: the timer's one-round-trip probe and the full check. */
describe("the worker's job schedulers", () => {
  let redis: Redis;
  let jobs: JobQueues;
  const specs = scheduleSpecs(60_000);
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    jobs = createJobQueues({ connection: redis, prefix: `t${randomBytes(4).toString("hex")}` });
  });
  afterAll(async () => {
    const queue = jobs?.queues[QUEUE_NAME];
    for (const s of (await queue?.getJobSchedulers()) ?? []) await queue!.removeJobScheduler(s.key);
    for (const q of Object.values(jobs?.queues ?? {}))
      await q.obliterate({ force: true }).catch(() => undefined);
    await jobs?.close();
    redis?.disconnect();
  });

  it("the probe sees none on an empty Redis, all once created, and one removed", async () => {
    const queue = jobs.queues[QUEUE_NAME];
    expect(await schedulesPresent(redis, queue, specs)).toBe(false);
    expect((await ensureSchedules(queue, specs)).sort()).toEqual(
      specs
        .filter((s) => s.busyWhen === undefined)
        .map((s) => s.id)
        .sort(),
    );
    expect(await schedulesPresent(redis, queue, specs)).toBe(true);
    // A second check creates nothing.
    expect(await ensureSchedules(queue, specs)).toEqual([]);
    await queue.removeJobScheduler("slo-snapshot");
    expect(await schedulesPresent(redis, queue, specs)).toBe(false);
    expect(await ensureSchedules(queue, specs)).toEqual(["slo-snapshot"]);
    expect(await schedulesPresent(redis, queue, specs)).toBe(true);
  });
});

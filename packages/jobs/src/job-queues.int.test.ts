import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { JOBS } from "./catalog";
import { createJobQueues, type JobQueues } from "./job-queues";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME } from "./queues";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("createJobQueues on a real Redis", () => {
  let redis: Redis;
  let jobs: JobQueues;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    jobs = createJobQueues({ connection: redis, prefix: `t${randomBytes(4).toString("hex")}` });
  });
  afterAll(async () => {
    for (const q of Object.values(jobs?.queues ?? {}))
      await q.obliterate({ force: true }).catch(() => undefined);
    await jobs?.close();
    redis?.disconnect();
  });
  const waiting = async () => ({
    main: await jobs.queues[QUEUE_NAME].getJobCountByTypes("waiting", "delayed", "prioritized"),
    backfill: await jobs.queues[BACKFILL_QUEUE_NAME].getJobCountByTypes("waiting", "delayed", "prioritized"),
  });

  it("refuses a payload that does not parse, and adds nothing", async () => {
    await expect(jobs.enqueue("alert.dispatch", { alertId: "a1" } as never)).rejects.toBeInstanceOf(ZodError);
    await expect(jobs.enqueue("slo.backfill", { sloId: "s1" } as never)).rejects.toBeInstanceOf(ZodError);
    expect(await waiting()).toEqual({ main: 0, backfill: 0 });
  });

  it("adds a job once per id, on its queue, with the catalog's policy", async () => {
    const dispatch = { alertId: "a1", eventKind: "fired", eventId: "e1" };
    for (const _ of [1, 2]) await jobs.enqueue("alert.dispatch", dispatch);
    for (const _ of [1, 2]) await jobs.enqueue("slo.backfill", { sloId: "s1", version: 1 });
    await jobs.enqueue("slo.backfill", { sloId: "s1", version: 2 }); // a new version: a new backfill
    expect(await waiting()).toEqual({ main: 1, backfill: 2 });

    const job = await jobs.queues[QUEUE_NAME].getJob("dispatch-e1");
    expect(job?.name).toBe("alert.dispatch");
    expect(job?.data).toEqual(dispatch);
    expect(job?.opts).toMatchObject(JOBS["alert.dispatch"].opts);
    const backfill = await jobs.queues[BACKFILL_QUEUE_NAME].getJob("backfill-s1-v2");
    expect(backfill?.data).toEqual({ sloId: "s1", version: 2 });
    expect(backfill?.opts).toMatchObject(JOBS["slo.backfill"].opts);
  });
});

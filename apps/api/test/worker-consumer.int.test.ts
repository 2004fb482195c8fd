import { randomBytes } from "node:crypto";
import { Consumer } from "@burnrate/worker/consumer";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL } from "./harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The worker's BullMQ consumer sleeps while idle (no lock renewal timer, long blocking waits) and still renews
 * the lock of a job that runs longer than the lock.
 */
describe("Consumer: BullMQ's worker, asleep while idle", () => {
  const prefix = `c${randomBytes(4).toString("hex")}`;
  const name = "consumer-test";
  let redis: Redis;
  let queue: Queue;
  let events: QueueEvents;
  const consumers: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(name, { connection: redis, prefix });
    events = new QueueEvents(name, { connection: redis.duplicate(), prefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.close()));
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    redis?.disconnect();
  });

  it("has no lock renewal timer while idle, renews a long job's lock, and stops renewing after it", async () => {
    const runs: string[] = [];
    const renewed: number[] = [];
    const opts = { connection: redis.duplicate(), prefix, lockDuration: 1000, stalledInterval: 1000 };
    const a = new Consumer(
      name,
      async (job) => {
        runs.push(`a:${job.id}`);
        await sleep(job.data as number);
        return "done";
      },
      opts,
    );
    a.on("locksRenewed", ({ count }) => renewed.push(count));
    consumers.push(a);
    await a.waitUntilReady();
    await sleep(300);
    expect(a.locks.timerArmed).toBe(false);

    const job = await queue.add("long", 4000, { jobId: "long-1" });
    // Past its 1 s lock, the job's lock is still there: renewed, not expired (a stalled check would take it).
    await sleep(2500);
    const lockKey = `${prefix}:${name}:long-1:lock`;
    expect(await redis.exists(lockKey)).toBe(1);
    expect(await redis.pttl(lockKey)).toBeLessThanOrEqual(1000);
    const result = await job.waitUntilFinished(events, 15_000);
    expect(result).toBe("done");
    expect(runs).toEqual(["a:long-1"]);
    // Renewed every half-lock or so over 4 s: at least 4 times.
    expect(renewed.length).toBeGreaterThanOrEqual(4);
    // Asleep again: the timer stops at its first run with no job held.
    await sleep(1200);
    expect(a.locks.timerArmed).toBe(false);
    const before = renewed.length;
    await sleep(1200);
    expect(renewed.length).toBe(before);
  }, 30_000);

  it("waits longer than BullMQ's 10 s between polls while a delayed job is queued, and takes it when due", async () => {
    const ran: number[] = [];
    const c = new Consumer(
      name + "-delayed",
      async () => {
        ran.push(Date.now());
        return "done";
      },
      {
        connection: redis.duplicate(),
        prefix,
      },
    );
    consumers.push(c);
    expect(c.maximumBlockTimeout).toBeGreaterThan(10);
    const q = new Queue(name + "-delayed", { connection: redis, prefix });
    const due = Date.now() + 2500;
    await q.add("later", {}, { delay: 2500 });
    for (let i = 0; i < 100 && ran.length === 0; i++) await sleep(100);
    expect(ran).toHaveLength(1);
    expect(ran[0]!).toBeGreaterThanOrEqual(due - 50);
    expect(ran[0]! - due).toBeLessThan(2000);
    await q.obliterate({ force: true });
    await q.close();
  }, 30_000);
});

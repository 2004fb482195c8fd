import { dirtyServicesKey } from "@burnrate/jobs";
import { createTickJob, schedulingServicesKey } from "@burnrate/worker/evaluate";
import { readLastCompletedCycle } from "@burnrate/worker/watchdog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * The tick of an evaluation cycle on real Redis and Postgres: the first tick of a cycle takes the services ingest
 * marked (with their earliest minutes) into its shard jobs; a second tick of the same cycle (a late tick job and
 * the next one in the same interval) schedules nothing and takes nothing, so marks made meanwhile reach the next
 * cycle instead of being dropped with a duplicate job.
 */
describe("the evaluation tick", () => {
  let stack: Stack;
  const added: { shard: number; minuteMs: number; dirty: Record<string, number> }[] = [];
  let clock = Date.UTC(2026, 11, 7, 6, 0, 0, 250);
  const silent = { debug: () => undefined } as never;
  let slo: Awaited<ReturnType<typeof call>>;

  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "t", name: "T" });
    await call(stack, "POST", "/api/v1/services", { slug: "s", name: "S", team: "t" });
    slo = await call(stack, "POST", "/api/v1/slos", {
      service: "s",
      name: "s availability",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    });
    expect(slo.status).toBe(201);
  });
  afterAll(async () => stack?.stop());

  /** The tick of `stack`'s worker at the test's clock, a cycle a second, queueing with `enqueue`. */
  const tickWith = (enqueue: (payload: (typeof added)[number]) => Promise<void>) =>
    createTickJob({
      db: stack.db,
      redis: stack.redis,
      enqueue: ((_name: string, payload: (typeof added)[number]) => enqueue(payload)) as never,
      shardSize: 500,
      everyMs: 1000,
      dirtyKey: dirtyServicesKey(stack.prefix),
      now: () => clock,
      log: silent,
    });

  it("takes the marked services once per cycle; a second tick of the cycle leaves later marks for the next", async () => {
    const key = dirtyServicesKey(stack.prefix);
    const tick = tickWith(async (payload) => void added.push(payload));
    await stack.redis.zadd(key, 1_000, "svc-a", 2_000, "svc-b");
    expect(await tick()).toMatchObject({ shards: 1, slos: 1 });
    expect(added).toEqual([
      {
        shard: 0,
        shards: 1,
        minuteMs: Date.UTC(2026, 11, 7, 6, 0, 0),
        dirty: { "svc-a": 1_000, "svc-b": 2_000 },
      },
    ]);
    // ingest marks a service with a late minute, and a second tick of the same cycle runs
    await stack.redis.zadd(key, 500, "svc-c");
    clock += 600;
    expect(await tick()).toMatchObject({ shards: 0, duplicate: true });
    expect(added).toHaveLength(1);
    expect(await stack.redis.zrange(key, "0", "-1", "WITHSCORES")).toEqual(["svc-c", "500"]);
    // the next cycle takes it
    clock += 1_000;
    expect(await tick()).toMatchObject({ shards: 1 });
    expect(added.at(-1)).toMatchObject({ minuteMs: Date.UTC(2026, 11, 7, 6, 0, 1), dirty: { "svc-c": 500 } });
    expect(await stack.redis.exists(key)).toBe(0);
    expect(await stack.redis.exists(schedulingServicesKey(key))).toBe(0);
  });

  it("a tick that fails between the take and its jobs loses nothing: the next cycle takes those services again", async () => {
    const key = dirtyServicesKey(stack.prefix);
    let failing = true;
    const queued: (typeof added)[number][] = [];
    const tick = tickWith(async (payload) => {
      // Redis refusing the job, or the worker dying, after the marks were taken
      if (failing) throw new Error("connection lost");
      queued.push(payload);
    });
    clock += 5_000;
    await stack.redis.zadd(key, 7_000, "svc-d", 9_000, "svc-e");
    await expect(tick()).rejects.toThrow("connection lost");
    expect(await stack.redis.exists(key)).toBe(0);
    // meanwhile ingest marks svc-e again with an older minute, and svc-f
    await stack.redis.zadd(key, "LT", 8_000, "svc-e", 4_000, "svc-f");
    failing = false;
    clock += 1_000;
    expect(await tick()).toMatchObject({ shards: 1 });
    expect(queued).toHaveLength(1);
    expect(queued[0]!.dirty).toEqual({ "svc-d": 7_000, "svc-e": 8_000, "svc-f": 4_000 });
    expect(await stack.redis.exists(schedulingServicesKey(key))).toBe(0);
    // a cycle with nothing marked schedules every SLO with no services to recompute
    clock += 1_000;
    expect(await tick()).toMatchObject({ shards: 1 });
    expect(queued.at(-1)!.dirty).toEqual({});
  });

  it("a cycle with no SLOs is recorded by the tick itself, with no shard job", async () => {
    const key = dirtyServicesKey(stack.prefix);
    expect((await call(stack, "DELETE", `/api/v1/slos/${slo.body!.id}`)).status).toBe(204);
    const queued: (typeof added)[number][] = [];
    const tick = tickWith(async (payload) => void queued.push(payload));
    clock += 60_000;
    // traffic of a service without SLOs still marks it
    await stack.redis.zadd(key, 3_000, "svc-g");
    expect(await tick()).toEqual({ shards: 0, slos: 0, empty: true });
    expect(queued).toEqual([]);
    const minute = new Date(Math.floor(clock / 1000) * 1000);
    expect(
      await stack.db.evaluationRun.findMany({
        where: { minute },
        select: { shard: true, shards: true, slos: true },
      }),
    ).toEqual([{ shard: 0, shards: 1, slos: 0 }]);
    // the watchdog sees the cycle complete
    expect(await readLastCompletedCycle(stack.db, clock)).toMatchObject({ minuteMs: minute.getTime() });
    expect(await stack.redis.exists(key)).toBe(0);
    expect(await stack.redis.exists(schedulingServicesKey(key))).toBe(0);
    // a second tick of the cycle records nothing more
    expect(await tick()).toMatchObject({ duplicate: true });
    expect(await stack.db.evaluationRun.count({ where: { minute } })).toBe(1);
  });
});

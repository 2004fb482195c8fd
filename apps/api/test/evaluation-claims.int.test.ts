import { createEvaluateShardJob } from "../../worker/src/jobs/evaluate";
import { claimShard, completeClaims } from "../../worker/src/jobs/evaluate/claims";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, type Stack } from "./harness";

/**
 * A shard job that fails before it evaluated anything gives its claims back, so BullMQ's retry evaluates
 * every SLO of the shard in the same cycle: no evaluation is lost, none counted that did not happen.
 */
describe("evaluation claims", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    const now = Date.now();
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(
        Array.from({ length: 50 }, (_, i) => ({
          ts: now - 60_000 + i * 100,
          service: "cart",
          endpoint: `GET /cart/${i % 3}`,
          region: "prod-eu",
          status: 200,
          durationMs: 12,
        })),
      ),
    });
    expect(JSON.parse(res.body).accepted).toBe(50);
    for (const i of [0, 1, 2])
      expect(
        (
          await call(stack, "POST", "/api/v1/slos", {
            service: "cart",
            name: `Cart ${i}`,
            endpoint: `GET /cart/${i}`,
            sli: { type: "availability" },
            objectivePercent: 99,
          })
        ).status,
      ).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const counts = () =>
    stack.db.$queryRawUnsafe<{ evaluations: number; last: Date | null }[]>(
      `SELECT evaluations, last_evaluated_cycle AS last FROM slos ORDER BY name`,
    );

  it("a failed shard releases its claims, and the retry evaluates every SLO once", async () => {
    const job = createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: Date.now,
      log: pino({ level: "silent" }),
    });
    const payload = { shard: 0, shards: 1, minuteMs: Math.floor(Date.now() / 60_000) * 60_000, dirty: {} };
    // A real failure after the recompute: the table of alerts is not there.
    await stack.db.$executeRawUnsafe(`ALTER TABLE alerts RENAME TO alerts_away`);
    try {
      await expect(job(payload)).rejects.toThrow();
    } finally {
      await stack.db.$executeRawUnsafe(`ALTER TABLE alerts_away RENAME TO alerts`);
    }
    expect(await counts()).toEqual([0, 1, 2].map(() => ({ evaluations: 0, last: null })));

    const retry = await job(payload);
    expect(retry).toMatchObject({ evaluated: 3, skipped: 0 });
    const again = await job(payload); // the same cycle once more (a duplicated job): nothing twice
    expect(again).toMatchObject({ evaluated: 0, skipped: 3 });
    expect(await counts()).toEqual(
      [0, 1, 2].map(() => ({ evaluations: 1, last: new Date(payload.minuteMs) })),
    );
  });

  it("a claim is a lease: the same shard job's retry takes it over at once, another job only once it expired", async () => {
    const job = createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: Date.now,
      log: pino({ level: "silent" }),
    });
    const minuteMs = Math.floor(Date.now() / 60_000) * 60_000 + 60_000; // a cycle of its own
    const payload = { shard: 0, shards: 1, minuteMs, dirty: {} };
    const before = await counts();
    // What a worker SIGKILLed mid-shard leaves: claims of this cycle, held by its job, never finished.
    const leaveClaims = (holder: string, leaseSql: string) =>
      stack.db.$executeRawUnsafe(
        `UPDATE slos SET eval_prev_cycle = last_evaluated_cycle, last_evaluated_cycle = $1::timestamptz,
                evaluations = evaluations + 1, eval_lease_holder = $2, eval_lease_until = ${leaseSql}`,
        new Date(minuteMs).toISOString(),
        holder,
      );
    await leaveClaims("eval-killed", "now() + interval '1 minute'");
    // Another job of the same cycle (say, a second tick that counted other shards): the lease still holds.
    expect(await job(payload, { jobId: "eval-other" })).toMatchObject({ evaluated: 0, skipped: 3 });
    // The killed job's retry (same job id): takes its claims over and evaluates them, counted once.
    expect(await job(payload, { jobId: "eval-killed" })).toMatchObject({ evaluated: 3, skipped: 0 });
    const after = await counts();
    expect(after.map((c) => c.evaluations)).toEqual(before.map((c) => c.evaluations + 1));
    expect(after.every((c) => c.last?.getTime() === minuteMs)).toBe(true);
    // Finished: the lease is gone, and nobody evaluates this cycle again, not even the same job.
    expect(await job(payload, { jobId: "eval-killed" })).toMatchObject({ evaluated: 0, skipped: 3 });

    // An expired lease of a holder that died is taken by anyone.
    const next = { ...payload, minuteMs: minuteMs + 60_000 };
    await stack.db.$executeRawUnsafe(
      `UPDATE slos SET eval_prev_cycle = last_evaluated_cycle, last_evaluated_cycle = $1::timestamptz,
              evaluations = evaluations + 1, eval_lease_holder = 'eval-dead',
              eval_lease_until = now() - interval '1 second'`,
      new Date(next.minuteMs).toISOString(),
    );
    expect(await job(next, { jobId: "eval-new" })).toMatchObject({ evaluated: 3, skipped: 0 });
    expect((await counts()).map((c) => c.evaluations)).toEqual(before.map((c) => c.evaluations + 2));
    const leases = await stack.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM slos WHERE eval_lease_until IS NOT NULL OR eval_lease_holder IS NOT NULL`,
    );
    expect(leases[0]!.n).toBe(0);
  });

  it("a claim and an SLI write of the same SLOs take turns instead of deadlocking", async () => {
    const ids = (
      await stack.db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM slos ORDER BY id`)
    ).map((r) => r.id);
    const low = ids[0]!;
    // The lowest id stored last: an update of every row that goes by storage order meets it last.
    const scanOrder = async () =>
      (await stack.db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM slos ORDER BY ctid`)).map(
        (r) => r.id,
      );
    for (let i = 0; i < 20 && (await scanOrder()).at(-1) !== low; i++)
      await stack.db.$executeRawUnsafe(`UPDATE slos SET name = name WHERE id = $1::uuid`, low);
    expect((await scanOrder()).at(-1)).toBe(low);
    const lockWaits = async () =>
      (
        await stack.db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0]!.n;
    const waitForLockWaits = async (n: number) => {
      for (let i = 0; (await lockWaits()) < n; i++) {
        if (i > 200) throw new Error(`never ${n} sessions waiting for a lock`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // Someone holds the lowest SLO's row (an SLO being edited, say).
    let release!: () => void;
    const go = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = stack.db.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(`SELECT 1 FROM slos WHERE id = $1::uuid FOR NO KEY UPDATE`, low);
        locked();
        await go;
      },
      { timeout: 60_000 },
    );
    await isLocked;
    // An SLI write of every SLO takes their rows in id order, as writeSli does: it waits for the lowest.
    const write = stack.db.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(
          `SELECT id::text FROM slos WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
          ids,
        );
        await new Promise((r) => setTimeout(r, 200));
      },
      { timeout: 60_000 },
    );
    await waitForLockWaits(1);
    // The next cycle's claim of the same SLOs.
    const claim = {
      shards: 1,
      shard: 0,
      cycle: new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10 * 60_000).toISOString(),
      holder: "eval-next",
    };
    const claimed = claimShard(stack.db, claim, 60_000);
    await waitForLockWaits(2);
    release();
    const settled = await Promise.allSettled([holder, write, claimed]);
    const reasons = settled.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"));
    expect(reasons).toEqual(["ok", "ok", "ok"]);
    const got = (settled[2] as PromiseFulfilledResult<string[]>).value;
    expect([...got].sort()).toEqual(ids);
    await completeClaims(stack.db, claim, got);
  });
});

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * A worker process SIGKILLed mid-shard (its claims taken, its evaluation not finished) leaves leases behind, not
 * final claims: the shard job's retry (BullMQ brings it back under the same id once its lock expires) takes them
 * over and evaluates every SLO of the shard in the same cycle. Before leases, the retry logged `skipped: N` and
 * that cycle was lost for those SLOs.
 */
const SLOS = 600;
// The production cycle: the retry must land in it (a new worker process starts in a few seconds, the lock expires
// after BURNRATE_JOB_LOCK_MS), with room to spare on a loaded machine.
const CYCLE_MS = 60_000;
const WORKER_DIR = path.resolve(import.meta.dirname, "../../worker");

describe("a worker killed mid-shard", () => {
  let stack: Stack;
  const children: ChildProcess[] = [];
  const stderr: string[] = [];
  const spawnWorker = () => {
    const c = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: WORKER_DIR,
      env: {
        ...process.env,
        DATABASE_URL: stack.databaseUrl,
        REDIS_URL,
        BURNRATE_QUEUE_PREFIX: stack.prefix,
        PUBLIC_URL: stack.baseUrl,
        LOG_LEVEL: "warn",
        BURNRATE_EVAL_EVERY_MS: String(CYCLE_MS),
        BURNRATE_EVAL_SHARD_SIZE: "1000",
        BURNRATE_JOB_LOCK_MS: "2000",
        BURNRATE_WORKER_PORT: "0",
        WORKER_CONCURRENCY: "2",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    c.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
    children.push(c);
    return c;
  };
  const leased = async () =>
    (
      await stack.db.$queryRawUnsafe<{ n: number; cycle: Date | null }[]>(
        `SELECT count(*)::int AS n, max(last_evaluated_cycle) AS cycle FROM slos WHERE eval_lease_until IS NOT NULL`,
      )
    )[0]!;

  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    const now = Date.now();
    const ing = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(
        Array.from({ length: 2000 }, (_, i) => ({
          ts: now - 20 * 60_000 + i * 600,
          service: "cart",
          endpoint: "GET /cart",
          region: i % 2 ? "prod-eu" : "prod-us",
          status: i % 1000 ? 200 : 500,
          durationMs: 20,
        })),
      ),
    });
    expect(JSON.parse(ing.body).accepted).toBe(2000);
    const first = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99.9,
    });
    expect(first.status).toBe(201);
    // Copies made in SQL (through the API each would queue a backfill, which is not what this test is about).
    await stack.db.$executeRawUnsafe(
      `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", budgeting_method,
                         version, backfill_percent, kind, created_at, updated_at)
       SELECT gen_random_uuid(), service_id, endpoint_id, name || ' #' || g, sli, objective_percent, "window",
              budgeting_method, version, 100, kind, now(), now()
         FROM slos, generate_series(2, $1) AS g WHERE id = $2::uuid`,
      SLOS,
      first.body!.id,
    );
    await stack.db.$executeRawUnsafe(`UPDATE slos SET evaluations = 0, last_evaluated_cycle = NULL`);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await stack?.stop();
  });

  it(
    "leaves leases that the retried shard job takes over in the same cycle",
    { timeout: 240_000 },
    async () => {
      const victim = spawnWorker();
      // Watch the claims: the moment the shard holds leases (claimed, not yet evaluated), kill the worker.
      const seen = await waitFor(
        "a shard in progress",
        async () => {
          const l = await leased();
          return l.n > 0 && l;
        },
        2 * CYCLE_MS + 30_000,
        5,
      );
      victim.kill("SIGKILL");
      await new Promise((r) => victim.once("exit", r));
      const killedAt = Date.now();
      const cycle = seen.cycle!;
      const left = await leased();
      console.info(
        `killed mid-shard: ${left.n} of ${SLOS} SLOs claimed and not evaluated (cycle ${cycle.toISOString()})`,
      );
      expect(left.n).toBeGreaterThan(0); // the kill did land mid-shard

      const rescuer = spawnWorker();
      // The retry of the killed shard job evaluates the whole shard in the killed cycle.
      await waitFor(
        "the killed cycle evaluated in full",
        async () => {
          const [r] = await stack.db.$queryRawUnsafe<{ slos: number }[]>(
            `SELECT coalesce(sum(slos), 0)::int AS slos FROM evaluation_runs WHERE minute = $1::timestamptz`,
            cycle,
          );
          return r!.slos === SLOS;
        },
        CYCLE_MS,
        100,
      ).catch(async (err: unknown) => {
        const runs = await stack.db.$queryRawUnsafe(
          `SELECT minute, shard, shards, slos, at FROM evaluation_runs ORDER BY at`,
        );
        const claims = await stack.db.$queryRawUnsafe(
          `SELECT last_evaluated_cycle, eval_lease_holder, eval_lease_until IS NOT NULL AS leased, count(*)::int AS n
             FROM slos GROUP BY 1, 2, 3`,
        );
        console.error({
          runs,
          claims,
          killedAt: new Date(killedAt),
          workerLog: stderr.join("").slice(-3000),
        });
        throw err;
      });
      console.info(
        `the retried shard evaluated them ${(Date.now() - killedAt) / 1000} s after the kill, in the same cycle`,
      );
      // Stop cleanly (jobs finish), then count: every SLO once per cycle, none twice, no lease left behind.
      const exited = new Promise((r) => rescuer.once("exit", r));
      rescuer.kill("SIGTERM");
      await exited;
      const runs = await stack.db.$queryRawUnsafe<{ minute: Date; slos: number }[]>(
        `SELECT minute, sum(slos)::int AS slos FROM evaluation_runs GROUP BY minute ORDER BY minute`,
      );
      const full = runs.filter((r) => r.slos === SLOS);
      expect(runs.every((r) => r.slos <= SLOS)).toBe(true);
      expect(full.map((r) => r.minute.getTime())).toContain(cycle.getTime());
      const per = await stack.db.$queryRawUnsafe<{ evaluations: number; n: number; leases: number }[]>(
        `SELECT evaluations, count(*)::int AS n, count(eval_lease_until)::int AS leases FROM slos GROUP BY evaluations`,
      );
      expect(per).toEqual([{ evaluations: full.length, n: SLOS, leases: 0 }]);
      expect(stderr.join("")).not.toMatch(/Unhandled|uncaught/i);
    },
  );
});

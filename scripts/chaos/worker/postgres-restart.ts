/**
 * Worker and a Postgres restart: the run's own embedded PostgreSQL killed (immediate shutdown) and restarted:
 * the worker's /readyz while it is down, cycles until evaluation resumes, and the worker process still alive.
 */
import { startStack } from "../../../apps/api/test/harness.ts";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import {
  get,
  quantile,
  sleep,
  startOwnPostgres,
  startOwnRedis,
  waitUntil,
  type ChaosContext,
  type ChaosRow,
} from "../lib.ts";
import { spawnWorker, type WorkerChild } from "./child.ts";
import { stormData } from "./fixtures.ts";
import { lastCycle } from "./progress.ts";

export async function postgresRestart(ctx: ChaosContext): Promise<ChaosRow[]> {
  const name = "worker: Postgres restart";
  const everyMs = 10 * SECOND_MS;
  const downMs = ctx.quick ? 5 * SECOND_MS : 20 * SECOND_MS;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string, target: string, ok: boolean) =>
    rows.push({ scenario: name, check, value, target, ok });
  const redis = await startOwnRedis();
  const pg = await startOwnPostgres();
  const stack = await startStack({ redisUrl: redis.url, pgBaseUrl: pg.url });
  let worker: WorkerChild | null = null;
  try {
    await stormData(stack, "#storm-slo-breaches");
    worker = await spawnWorker(stack, redis.url, { BURNRATE_EVAL_EVERY_MS: String(everyMs) });
    await waitUntil(() => lastCycle(stack), MINUTE_MS);
    ctx.log(`evaluating; killing Postgres (immediate shutdown) for ${downMs / SECOND_MS} s`);
    await pg.kill();
    const ready: { status: number; ms: number; text: string }[] = [];
    const downUntil = Date.now() + downMs;
    while (Date.now() < downUntil) {
      ready.push(await get(`http://127.0.0.1:${worker.port}/readyz`));
      await sleep(500);
    }
    const ms = ready.map((x) => x.ms).sort((a, b) => a - b);
    row(
      `worker /readyz while Postgres is down (${ready.length} calls)`,
      `status ${[...new Set(ready.map((x) => x.status))].join(",")}; p50 ${quantile(ms, 0.5).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms`,
      "503 in < 1 s",
      ready.every((x) => x.status === 503 && /"postgres":"unreachable"/.test(x.text)) &&
        ms.at(-1)! < SECOND_MS,
    );
    await pg.start();
    const upMs = Date.now();
    const resumed = await waitUntil(
      async () => {
        const c = await lastCycle(stack).catch(() => null);
        return c && c.minute.getTime() >= upMs && c;
      },
      4 * everyMs + 30 * SECOND_MS,
    );
    const cycles = resumed ? (resumed.done.getTime() - upMs) / everyMs : Infinity;
    row(
      "cycles from Postgres back to a completed evaluation cycle",
      resumed
        ? `${cycles.toFixed(2)} (${((resumed.done.getTime() - upMs) / SECOND_MS).toFixed(1)} s, cycle ${everyMs / SECOND_MS} s)`
        : "none within 4 cycles",
      "<= 2, worker untouched",
      cycles <= 2,
    );
    const out = worker.output.join("");
    const unhandled = (out.match(/Unhandled|uncaught/gi) ?? []).length;
    row(
      "worker process",
      worker.child.exitCode === null
        ? `alive, ${unhandled} unhandled errors logged`
        : `exited ${worker.child.exitCode}`,
      "alive, 0 unhandled",
      worker.child.exitCode === null && unhandled === 0,
    );
  } finally {
    await worker?.stop();
    await stack.stop().catch(() => undefined);
    await pg.stop();
    await redis.stop();
  }
  return rows;
}

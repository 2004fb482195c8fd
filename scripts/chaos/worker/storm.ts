/**
 * Worker storm + Redis restart: 100 SLOs, 50 firing, then the run's own Redis SIGKILLed and restarted empty, and
 * the other 50 start failing as it returns: how many cycles until evaluation resumes and until those 50 fire
 * (target <= 2, without touching the worker), and the API's and the worker's /readyz while Redis is down.
 */
import { startStack } from "../../../apps/api/test/harness.ts";
import { scheduleSpecs } from "../../../apps/worker/src/schedules.ts";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { get, quantile, sleep, startOwnRedis, waitUntil, type ChaosContext, type ChaosRow } from "../lib.ts";
import { spawnWorker, type WorkerChild } from "./child.ts";
import { SLOS, ingestHour, stormData } from "./fixtures.ts";
import { firingOn, lastCycle } from "./progress.ts";

export async function storm(ctx: ChaosContext): Promise<ChaosRow[]> {
  const name = "worker: storm + Redis restart";
  const everyMs = ctx.quick ? 10 * SECOND_MS : 20 * SECOND_MS;
  const downMs = ctx.quick ? 5 * SECOND_MS : 20 * SECOND_MS;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string, target: string, ok: boolean) =>
    rows.push({ scenario: name, check, value, target, ok });
  const redis = await startOwnRedis();
  const stack = await startStack({ redisUrl: redis.url });
  let worker: WorkerChild | null = null;
  try {
    const channel = "#storm-slo-breaches";
    await stormData(stack, channel);
    ctx.log(`${SLOS} SLOs over an hour of 50% errors; worker cycle ${everyMs / SECOND_MS} s`);
    worker = await spawnWorker(stack, redis.url, { BURNRATE_EVAL_EVERY_MS: String(everyMs) });
    const fired = await waitUntil(
      async () => (await firingOn(stack, "GET /cart")) >= SLOS / 2,
      3 * everyMs + 30 * SECOND_MS,
    );
    row(
      "GET /cart alerts firing before the fault",
      `${await firingOn(stack, "GET /cart")}`,
      `${SLOS / 2}`,
      fired !== null,
    );
    // Mid-storm: Redis dies (SIGKILL, nothing saved) and comes back empty.
    ctx.log(`killing Redis for ${downMs / SECOND_MS} s`);
    await redis.kill();
    const apiReady: { status: number; ms: number }[] = [];
    const workerReady: { status: number; ms: number }[] = [];
    const downUntil = Date.now() + downMs;
    while (Date.now() < downUntil) {
      const [a, w] = await Promise.all([
        get(`${stack.baseUrl}/readyz`),
        get(`http://127.0.0.1:${worker.port}/readyz`),
      ]);
      apiReady.push(a);
      workerReady.push(w);
      await sleep(500);
    }
    for (const [who, xs] of [
      ["API", apiReady],
      ["worker", workerReady],
    ] as const) {
      const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
      const statuses = [...new Set(xs.map((x) => x.status))].join(",");
      row(
        `${who} /readyz while Redis is down (${xs.length} calls)`,
        `status ${statuses}; p50 ${quantile(ms, 0.5).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms`,
        "503 in < 1 s",
        xs.every((x) => x.status === 503) && ms.at(-1)! < SECOND_MS,
      );
    }
    await redis.start();
    const upMs = Date.now();
    ctx.log("Redis is back (empty); GET /pay starts failing");
    // The second half of the storm starts as Redis returns: these alerts fire only if evaluation resumed.
    const storm2 = ingestHour(stack, "GET /pay", true);
    const resumed = await waitUntil(
      async () => {
        const c = await lastCycle(stack);
        return c && c.minute.getTime() >= upMs && c;
      },
      4 * everyMs + 30 * SECOND_MS,
    );
    const cycles = resumed ? (resumed.done.getTime() - upMs) / everyMs : Infinity;
    row(
      "cycles from Redis back to a completed evaluation cycle",
      resumed
        ? `${cycles.toFixed(2)} (${((resumed.done.getTime() - upMs) / SECOND_MS).toFixed(1)} s, cycle ${everyMs / SECOND_MS} s)`
        : "none within 4 cycles",
      "<= 2, worker untouched",
      cycles <= 2,
    );
    await storm2;
    const paid = await waitUntil(
      async () => (await firingOn(stack, "GET /pay")) >= SLOS / 2 && Date.now(),
      4 * everyMs + 30 * SECOND_MS,
    );
    const payCycles = paid ? (paid - upMs) / everyMs : Infinity;
    row(
      `GET /pay alerts (bad traffic from the moment Redis is back) firing`,
      paid
        ? `${SLOS / 2} of ${SLOS / 2} after ${payCycles.toFixed(2)} cycles (${((paid - upMs) / SECOND_MS).toFixed(1)} s)`
        : `${await firingOn(stack, "GET /pay")} of ${SLOS / 2} within 4 cycles`,
      "all, <= 2 cycles",
      payCycles <= 2,
    );
    const schedulers = (await stack.queue.getJobSchedulers()).map((s) => s.key).sort();
    const expected = scheduleSpecs(everyMs)
      .filter((s) => s.busyWhen === undefined)
      .map((s) => s.id)
      .sort();
    row(
      "job schedulers after the restart",
      schedulers.join(", ") || "none",
      `all ${expected.length} re-created`,
      schedulers.join() === expected.join(),
    );
    const after = await waitUntil(
      async () =>
        ((await worker!.port) && (await get(`http://127.0.0.1:${worker!.port}/readyz`)).status === 200) ||
        null,
      30 * SECOND_MS,
    );
    row("worker /readyz after Redis is back", after ? "200" : "not 200 within 30 s", "200", after !== null);
    await waitUntil(async () => stack.slack.topLevel(channel).length >= SLOS, MINUTE_MS);
    const posted = stack.slack.topLevel(channel).length;
    row("alerts posted to Slack (top-level)", `${posted} of ${SLOS}`, `${SLOS}`, posted === SLOS);
    const out = worker.output.join("");
    const stacks = (out.match(/Unhandled error event/g) ?? []).length;
    const outageLines = (out.match(/redis unreachable/g) ?? []).length;
    row(
      "worker log during the outage",
      `${outageLines} 'redis unreachable' line(s), ${stacks} ioredis unhandled-error stack(s)`,
      "1 line, 0 stacks",
      outageLines === 1 && stacks === 0,
    );
    row(
      "worker process",
      worker.child.exitCode === null ? "alive, never restarted" : `exited ${worker.child.exitCode}`,
      "alive",
      worker.child.exitCode === null,
    );
  } finally {
    await worker?.stop();
    await stack.stop().catch(() => undefined);
    await redis.stop();
  }
  return rows;
}

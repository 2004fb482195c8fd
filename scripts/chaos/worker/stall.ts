/**
 * Worker evaluation stall: the queue is paused, so no tick and no shard runs while the worker lives: the time
 * until the ops channel hears of it, the lag shown in /metrics, /readyz, and the recovery message.
 */
import { startStack } from "../../../apps/api/test/harness.ts";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { get, sleep, startOwnRedis, waitUntil, type ChaosContext, type ChaosRow } from "../lib.ts";
import { spawnWorker, type WorkerChild } from "./child.ts";
import { stormData } from "./fixtures.ts";
import { lastCycle } from "./progress.ts";

export async function stall(ctx: ChaosContext): Promise<ChaosRow[]> {
  const name = "worker: evaluation stall";
  const everyMs = 5 * SECOND_MS;
  const stallMs = ctx.quick ? 20 * SECOND_MS : 3 * MINUTE_MS;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string, target: string, ok: boolean) =>
    rows.push({ scenario: name, check, value, target, ok });
  const redis = await startOwnRedis();
  const stack = await startStack({ redisUrl: redis.url });
  const ops = "#burnrate-ops";
  let worker: WorkerChild | null = null;
  const q = stack.queue;
  try {
    await stormData(stack, "#storm-slo-breaches");
    worker = await spawnWorker(stack, redis.url, {
      BURNRATE_EVAL_EVERY_MS: String(everyMs),
      BURNRATE_EVAL_STALL_MS: String(stallMs),
      BURNRATE_OPS_SLACK_CHANNEL: ops,
    });
    await waitUntil(() => lastCycle(stack), MINUTE_MS);
    ctx.log(
      `evaluating; pausing the queue (stall threshold ${stallMs / SECOND_MS} s${ctx.quick ? ", quick mode" : ", the default"})`,
    );
    await q.pause();
    const t0 = Date.now();
    const msg = await waitUntil(
      async () => stack.slack.topLevel(ops).find((m) => /has stalled/.test(m.text)),
      stallMs + 90 * SECOND_MS,
      250,
    );
    const toMsg = msg ? Date.now() - t0 : Infinity;
    row(
      `time from the stall to the ops-channel message (threshold ${stallMs / SECOND_MS} s${ctx.quick ? ", quick mode; default 180 s" : ""})`,
      msg ? `${(toMsg / SECOND_MS).toFixed(1)} s` : "no message",
      "< 4 min",
      toMsg < 4 * MINUTE_MS,
    );
    const metrics = (await get(`http://127.0.0.1:${worker.port}/metrics`)).text;
    const lag = Number(/^burnrate_evaluation_lag_seconds ([0-9.e+-]+)$/m.exec(metrics)?.[1] ?? NaN);
    row(
      "burnrate_evaluation_lag_seconds in /metrics at the message",
      `${lag.toFixed(1)} s`,
      `>= ${stallMs / SECOND_MS} s`,
      lag >= stallMs / SECOND_MS,
    );
    const ready = await get(`http://127.0.0.1:${worker.port}/readyz`);
    row(
      "worker /readyz while stalled",
      `${ready.status} ${ready.text}`,
      "503, evaluation: stalled",
      ready.status === 503 && /stalled/.test(ready.text),
    );
    await sleep(Math.min(10 * SECOND_MS, stallMs / 2));
    const stallMsgs = stack.slack.topLevel(ops).filter((m) => /has stalled/.test(m.text)).length;
    row("stall messages for the episode", String(stallMsgs), "1", stallMsgs === 1);
    await q.resume();
    const t1 = Date.now();
    const rec = await waitUntil(
      async () => stack.slack.topLevel(ops).find((m) => /has recovered/.test(m.text)),
      MINUTE_MS,
      250,
    );
    row(
      "recovery message after the queue resumed",
      rec ? `${((Date.now() - t1) / SECOND_MS).toFixed(1)} s` : "none",
      "within 2 cycles + 10 s",
      rec !== null && Date.now() - t1 < 2 * everyMs + 10 * SECOND_MS,
    );
  } finally {
    await worker?.stop();
    await stack.stop().catch(() => undefined);
    await redis.stop();
  }
  return rows;
}

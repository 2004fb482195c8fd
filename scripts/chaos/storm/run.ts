/**
 * The slack storm's course: the stack up, N services with an SLO each, failing traffic for all of them, then
 * while the alerts go out the workers are killed, Redis restarts, half of the alerts are acknowledged (Postgres
 * restarts half way) and most services recover; then the drain and the count.
 */
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { sleep, type ChaosContext, type ChaosRow } from "../lib.ts";
import { stormApi } from "./api-client.ts";
import { drain } from "./drain.ts";
import { WorkerKills } from "./faults.ts";
import { createServices } from "./seed.ts";
import { startStormStack } from "./stack.ts";
import { tally } from "./tally.ts";
import { ingest } from "./traffic.ts";

export const SCENARIO = "slack storm";

export async function run(ctx: ChaosContext): Promise<ChaosRow[]> {
  const N = ctx.quick ? 20 : 100;
  const KILLS = ctx.quick ? 6 : 20;
  const KILL_GAP_MS = ctx.quick ? 3 * SECOND_MS : 4 * SECOND_MS;
  const DRAIN_LIMIT_MS = ctx.quick ? 3 * MINUTE_MS : 6 * MINUTE_MS;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { redis, pg, testDb, db, slack, apiUrl, token, workers } = await startStormStack(ctx, cleanups);
    const { api, must } = stormApi(apiUrl, token);
    await api("GET", "/api/v1/teams");
    ctx.log(`API up; creating ${N} services and SLOs`);
    await createServices(must, N);

    // --- the storm
    slack.setFaults({ http500: 0.03, ratelimited: 0.03, retryAfterSec: 1, loseAnswer: 0.3, seed: 2026 });
    for (const w of workers) w.start();
    const faults = new WorkerKills(workers, KILLS, KILL_GAP_MS);
    // Half of the kills land 0–30 ms after Slack stored a post: before or after the database recorded it.
    slack.onPosted = faults.afterPost;
    const t0 = Date.now();
    ctx.log("ingesting failing traffic for every service");
    await ingest(
      api,
      Array.from({ length: N }, (_, i) => i),
      t0 - 20 * MINUTE_MS,
      t0,
      600,
      10,
    );
    const alertsNow = () => db.alert.findMany({ select: { id: true, sloId: true, state: true } });
    const waitAlerts = async (min: number, limitMs: number) => {
      const until = Date.now() + limitMs;
      for (;;) {
        const n = await db.alert.count().catch(() => 0);
        if (n >= min || Date.now() > until) return n;
        await sleep(500);
      }
    };
    // The other half at random moments, from when the first alerts go out to Slack.
    ctx.log(`alerts: ${await waitAlerts(1, 2 * MINUTE_MS)} of ${N}`);
    const killer = faults.atRandom();

    ctx.log(`alerts: ${await waitAlerts(Math.floor(N / 4), 2 * MINUTE_MS)} of ${N}`);

    // Redis dies while the first posts go out; the queue (jobs and schedules) is lost with it.
    ctx.log("killing and restarting Redis");
    await redis.restart(SECOND_MS);
    faults.faultNow();
    // The workers are not touched: they re-assert their schedules when Redis answers again, and the dispatch
    // sweep enqueues what the lost jobs were delivering.
    ctx.log(`alerts: ${await waitAlerts(N, 4 * MINUTE_MS)} of ${N}`);

    const alerts = await alertsNow();
    const shuffled = [...alerts].sort(() => Math.random() - 0.5);
    const toAck = shuffled.slice(0, Math.floor(alerts.length / 2));
    ctx.log(`acknowledging ${toAck.length} alerts (Postgres restarts half way)`);
    let acked = 0;
    let notAcked = 0;
    for (const [i, a] of toAck.entries()) {
      if (i === Math.floor(toAck.length / 2)) {
        ctx.log("killing and restarting Postgres");
        await pg.restart(2 * SECOND_MS);
        faults.faultNow();
      }
      const r = await api("POST", `/api/v1/alerts/${a.id}/ack`, {});
      if (r.status === 200) acked++;
      else if (notAcked++ < 3) ctx.log(`ack ${a.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    // Most services recover: a burst of good requests brings both windows' error rates under the factor.
    const sloIndex = new Map(
      (await db.slo.findMany({ select: { id: true, service: { select: { slug: true } } } })).map((s) => [
        s.id,
        Number(s.service.slug.replace("storm-", "")),
      ]),
    );
    // Acked and recovering overlap: at the end a quarter stay acknowledged, 60% are resolved, 15% still fire.
    const recovering = shuffled
      .slice(Math.floor(alerts.length * 0.25), Math.floor(alerts.length * 0.85))
      .map((a) => sloIndex.get(a.sloId)!)
      .filter((i) => i !== undefined);
    ctx.log(`${acked} acknowledged; ${recovering.length} services recover`);
    faults.acksDone = true;
    const t1 = Date.now();
    await ingest(api, recovering, t1 - 4 * MINUTE_MS, t1, 4000, 0);
    await killer;
    faults.faultsOver = true;
    const faultsEndedAt = Math.max(faults.lastFaultAt, Date.now());
    ctx.log(`${faults.kills} kills done (${faults.killsAfterPost} right after a post); draining`);

    // --- drain: every event delivered (or given up on), every state settled, every message up to date
    const drainedAt = await drain(db, faultsEndedAt, DRAIN_LIMIT_MS);
    const drainMs = drainedAt === null ? null : Math.max(0, drainedAt - faultsEndedAt);
    ctx.log(drainedAt === null ? "did not drain in time" : `drained ${drainMs} ms after the last fault`);
    await Promise.all(workers.map((w) => w.stop()));

    // --- count
    const rows = await tally({
      scenario: SCENARIO,
      db,
      slack,
      workers,
      faults,
      services: N,
      plannedKills: KILLS,
      drainLimitMs: DRAIN_LIMIT_MS,
      drainMs,
    });
    if (process.env.CHAOS_VERBOSE)
      for (const w of workers) ctx.log(`${w} stderr: ${w.stderr.join("").slice(-2000)}`);
    await testDb.drop().catch(() => undefined);
    return rows;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

import type { Db } from "@burnrate/db";
import type { SlackSender } from "@burnrate/slack";
import { HOUR_MS } from "@burnrate/slo-core";
import type { Logger } from "pino";
import { slackDeliveryFailures } from "./metrics";

const WATCHDOG_ID = "evaluation";
/**
 * Cycles further back than this are not looked at (the index on evaluation_runs.minute keeps the read short);
 * a running worker keeps the last cycle it knew, so an older one still counts for the lag.
 */
const LOOKBACK_MS = 6 * HOUR_MS;

export interface CycleInfo {
  minuteMs: number;
  /** When its last shard finished. */
  doneMs: number;
}

/**
 * Records that one shard of an evaluation cycle ran, with the SLOs it evaluated: the cycle is complete once
 * every one of its `shards` is recorded (readLastCompletedCycle). A cycle with nothing to evaluate is recorded as
 * shard 0 of 1 with 0 SLOs.
 */
export async function recordEvaluationRun(
  db: Db,
  run: { minuteMs: number; shard: number; shards: number; slos: number },
): Promise<void> {
  await db.evaluationRun.create({
    data: { minute: new Date(run.minuteMs), shard: run.shard, shards: run.shards, slos: run.slos },
  });
}

/**
 * The last evaluation cycle whose every shard ran, from Postgres (evaluation_runs): it survives a Redis flush
 * and a worker restart, and every worker sees the same.
 */
export async function readLastCompletedCycle(db: Db, nowMs: number): Promise<CycleInfo | null> {
  const [row] = await db.$queryRawUnsafe<{ minute_ms: number; done_ms: number }[]>(
    `SELECT (extract(epoch FROM minute) * 1000)::float8 AS minute_ms,
            (extract(epoch FROM max(at)) * 1000)::float8 AS done_ms
       FROM evaluation_runs
      WHERE minute > $1::timestamptz
      GROUP BY minute
     HAVING count(DISTINCT shard) >= max(shards)
      ORDER BY minute DESC LIMIT 1`,
    new Date(nowMs - LOOKBACK_MS).toISOString(),
  );
  return row ? { minuteMs: Number(row.minute_ms), doneMs: Number(row.done_ms) } : null;
}

/**
 * Stalled: no cycle completed for `stallMs`. A worker that just started gives evaluation `stallMs` from its
 * start (it is what runs the cycles), so a restart after downtime is not an alarm by itself.
 */
export function isStalled(a: {
  nowMs: number;
  lastDoneMs: number | null;
  startedMs: number;
  stallMs: number;
}) {
  return a.nowMs - Math.max(a.lastDoneMs ?? 0, a.startedMs) > a.stallMs;
}

export function stallMessage(a: {
  lastDoneMs: number | null;
  nowMs: number;
  stallMs: number;
  publicUrl: string;
}) {
  const since =
    a.lastDoneMs !== null
      ? `the last complete cycle ended ${Math.round((a.nowMs - a.lastDoneMs) / 1000)} s ago (${new Date(a.lastDoneMs).toISOString()})`
      : "no cycle has completed since the worker started";
  return (
    `:rotating_light: Burnrate: SLO evaluation has stalled: ${since}; the threshold is ${Math.round(a.stallMs / 1000)} s. ` +
    `Alerts are not being evaluated. Check the worker's /readyz and /metrics, and Redis and Postgres. ${a.publicUrl}`
  );
}

export function recoveryMessage(a: { stalledSinceMs: number; nowMs: number }) {
  return `:white_check_mark: Burnrate: SLO evaluation has recovered (stalled for ${Math.round((a.nowMs - a.stalledSinceMs) / 1000)} s).`;
}

/**
 * The episode of a stall, shared by every worker through one Postgres row: the first worker to see a stall opens
 * the episode and posts to the ops channel, the first to see a completed cycle after it closes it and posts the
 * recovery; the others find the row already changed and post nothing.
 */
export async function reportStall(
  deps: { db: Db; slack: SlackSender | null; channel: string | undefined; log: Logger; publicUrl: string },
  a: { nowMs: number; lastDoneMs: number | null; stallMs: number },
): Promise<void> {
  const { db } = deps;
  await db.$executeRawUnsafe(
    `INSERT INTO evaluation_watchdog (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`,
    WATCHDOG_ID,
  );
  const opened = await db.$queryRawUnsafe<{ episode: number }[]>(
    `UPDATE evaluation_watchdog SET episode = episode + 1, stalled_since = $2::timestamptz, stall_ts = NULL,
            updated_at = now()
      WHERE id = $1 AND stalled_since IS NULL RETURNING episode`,
    WATCHDOG_ID,
    new Date(a.nowMs).toISOString(),
  );
  if (opened.length)
    deps.log.error(
      { episode: opened[0]!.episode, lastCycleDone: a.lastDoneMs ? new Date(a.lastDoneMs) : null },
      "evaluation stalled",
    );
  if (!deps.slack || !deps.channel) return;
  // Claim the notification of this episode before posting; give it back if Slack fails (the next pass retries).
  const [claim] = await db.$queryRawUnsafe<{ episode: number }[]>(
    `UPDATE evaluation_watchdog SET notified_episode = episode, updated_at = now()
      WHERE id = $1 AND stalled_since IS NOT NULL AND notified_episode < episode RETURNING episode`,
    WATCHDOG_ID,
  );
  if (!claim) return;
  try {
    const posted = await deps.slack.post({
      channel: deps.channel,
      text: stallMessage({ ...a, publicUrl: deps.publicUrl }),
      key: `burnrate-ops-stall-${claim.episode}`,
    });
    await db.$executeRawUnsafe(
      `UPDATE evaluation_watchdog SET stall_ts = $2 WHERE id = $1 AND episode = $3`,
      WATCHDOG_ID,
      posted.ts,
      claim.episode,
    );
  } catch (err) {
    slackDeliveryFailures.inc({ reason: "ops_channel" });
    deps.log.warn({ err: (err as Error).message }, "could not post the stall to the ops channel; will retry");
    await db.$executeRawUnsafe(
      `UPDATE evaluation_watchdog SET notified_episode = $2 - 1 WHERE id = $1 AND notified_episode = $2`,
      WATCHDOG_ID,
      claim.episode,
    );
  }
}

/** Closes an open stall episode once a cycle completed after it began (posts the recovery once). */
export async function reportRecovery(
  deps: { db: Db; slack: SlackSender | null; channel: string | undefined; log: Logger },
  a: { nowMs: number; lastDoneMs: number },
): Promise<void> {
  const [closed] = await deps.db.$queryRawUnsafe<
    { episode: number; notified_episode: number; stalled_since: Date; stall_ts: string | null }[]
  >(
    `UPDATE evaluation_watchdog w SET stalled_since = NULL, updated_at = now()
       FROM (SELECT stalled_since FROM evaluation_watchdog WHERE id = $1) old
      WHERE w.id = $1 AND w.stalled_since IS NOT NULL AND w.stalled_since < $2::timestamptz
      RETURNING w.episode, w.notified_episode, old.stalled_since, w.stall_ts`,
    WATCHDOG_ID,
    new Date(a.lastDoneMs).toISOString(),
  );
  if (!closed) return;
  const stalledSinceMs = closed.stalled_since.getTime();
  deps.log.warn({ episode: closed.episode, stalledMs: a.nowMs - stalledSinceMs }, "evaluation recovered");
  // Only an announced stall is announced as recovered.
  if (!deps.slack || !deps.channel || closed.notified_episode < closed.episode) return;
  const text = recoveryMessage({ stalledSinceMs, nowMs: a.nowMs });
  try {
    await deps.slack.post({
      channel: deps.channel,
      text,
      key: `burnrate-ops-recovered-${closed.episode}`,
    });
  } catch (err) {
    slackDeliveryFailures.inc({ reason: "ops_channel" });
    deps.log.warn({ err: (err as Error).message }, "could not post the recovery to the ops channel");
  }
}

import type { Db } from "@burnrate/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";
import { recordEvaluationRun } from "../../watchdog";

/**
 * Marks the cycle (KEYS[1]) taken and moves the services ingest marked (KEYS[2]) into the scheduling set
 * (KEYS[3]), each at its oldest minute; returns the scheduling set with its minutes, or nil if the cycle was taken
 * already. The scheduling set still holds what an earlier tick took but never scheduled (it crashed, or Redis
 * failed it between the take and its jobs): that tick's services are taken again, not lost.
 */
const TAKE_DIRTY_ONCE = `
  if not redis.call("set", KEYS[1], "1", "NX", "PX", ARGV[1]) then return nil end
  redis.call("zunionstore", KEYS[3], 2, KEYS[3], KEYS[2], "AGGREGATE", "MIN")
  redis.call("del", KEYS[2])
  return redis.call("zrange", KEYS[3], 0, -1, "WITHSCORES")`;

/**
 * Once a tick's shard jobs are queued: drops from the scheduling set (KEYS[1]) each service it scheduled (ARGV: member,
 * minute, …), unless a later take put it back with an older minute than the one scheduled.
 */
const SCHEDULED = `
  for i = 1, #ARGV, 2 do
    local s = redis.call("zscore", KEYS[1], ARGV[i])
    if s and tonumber(s) >= tonumber(ARGV[i + 1]) then redis.call("zrem", KEYS[1], ARGV[i]) end
  end
  return 0`;

/** The sorted set of services a tick took and has not yet scheduled (beside the one ingest marks). */
export const schedulingServicesKey = (dirtyKey: string) => `${dirtyKey}:scheduling`;

/** Every tick: take the set of services ingest touched, and fan out one evaluation job per shard. */
export function createTickJob(deps: {
  db: Db;
  redis: Redis;
  enqueue: Enqueue;
  shardSize: number;
  everyMs: number;
  dirtyKey: string;
  now: () => number;
  log: Logger;
}) {
  return async () => {
    const nowMs = deps.now();
    // One cycle per schedule interval; the cycle's start names its jobs.
    const minuteMs = Math.floor(nowMs / deps.everyMs) * deps.everyMs;
    // The first tick of a cycle takes the services ingest marked; a second tick of the same cycle (a tick job
    // that ran late, and the next one on time, in the same interval) takes nothing: its shard jobs are the
    // first's (the same ids), so what it took would be lost, and with it the recompute of late minutes.
    const scheduling = schedulingServicesKey(deps.dirtyKey);
    const dirtyRaw = (await deps.redis.eval(
      TAKE_DIRTY_ONCE,
      3,
      `${deps.dirtyKey}:taken:${minuteMs}`,
      deps.dirtyKey,
      scheduling,
      String(Math.max(10 * deps.everyMs, 60_000)),
    )) as string[] | null;
    if (dirtyRaw === null) {
      deps.log.debug({ minuteMs }, "evaluation cycle already scheduled");
      return { shards: 0, slos: 0, duplicate: true };
    }
    const dirty: Record<string, number> = {};
    for (let i = 0; i + 1 < dirtyRaw.length; i += 2) dirty[dirtyRaw[i]!] = Number(dirtyRaw[i + 1]);
    const count = await deps.db.slo.count();
    if (count === 0) {
      // Nothing to evaluate (an installation with no SLOs yet): the cycle is complete as it stands. It is
      // recorded as a shard job records its shard (the watchdog and the evaluation lag read evaluation_runs), but
      // without queueing a job to evaluate nothing; marks of services without SLOs have nothing to recompute (an
      // SLO created later backfills its own history).
      await recordEvaluationRun(deps.db, { minuteMs, shard: 0, shards: 1, slos: 0 });
      if (dirtyRaw.length > 0) await deps.redis.eval(SCHEDULED, 1, scheduling, ...dirtyRaw);
      return { shards: 0, slos: 0, empty: true };
    }
    const shards = Math.max(1, Math.ceil(count / deps.shardSize));
    for (let shard = 0; shard < shards; shard++) {
      // The job id is the cycle + shard: a second tick in the same cycle (two schedulers, a retry) adds nothing.
      await deps.enqueue("slo.evaluate", { shard, shards, minuteMs, dirty });
    }
    // Every shard job is queued (BullMQ keeps it through a crash): what they carry is no longer at risk.
    if (dirtyRaw.length > 0) await deps.redis.eval(SCHEDULED, 1, scheduling, ...dirtyRaw);
    deps.log.debug(
      { shards, slos: count, dirtyServices: Object.keys(dirty).length },
      "evaluation cycle scheduled",
    );
    return { shards, slos: count };
  };
}

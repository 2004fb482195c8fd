import type { Db } from "@burnrate/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";

/** Marks the cycle (KEYS[1]) taken and returns the marked services (KEYS[2]) with their minutes; nil if taken. */
const TAKE_DIRTY_ONCE = `
  if not redis.call("set", KEYS[1], "1", "NX", "PX", ARGV[1]) then return nil end
  local d = redis.call("zrange", KEYS[2], 0, -1, "WITHSCORES")
  redis.call("del", KEYS[2])
  return d`;

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
    const dirtyRaw = (await deps.redis.eval(
      TAKE_DIRTY_ONCE,
      2,
      `${deps.dirtyKey}:taken:${minuteMs}`,
      deps.dirtyKey,
      String(Math.max(10 * deps.everyMs, 60_000)),
    )) as string[] | null;
    if (dirtyRaw === null) {
      deps.log.debug({ minuteMs }, "evaluation cycle already scheduled");
      return { shards: 0, slos: 0, duplicate: true };
    }
    const dirty: Record<string, number> = {};
    for (let i = 0; i + 1 < dirtyRaw.length; i += 2) dirty[dirtyRaw[i]!] = Number(dirtyRaw[i + 1]);
    const count = await deps.db.slo.count();
    const shards = Math.max(1, Math.ceil(count / deps.shardSize));
    for (let shard = 0; shard < shards; shard++) {
      // The job id is the cycle + shard: a second tick in the same cycle (two schedulers, a retry) adds nothing.
      await deps.enqueue("slo.evaluate", { shard, shards, minuteMs, dirty });
    }
    deps.log.debug(
      { shards, slos: count, dirtyServices: Object.keys(dirty).length },
      "evaluation cycle scheduled",
    );
    return { shards, slos: count };
  };
}

import type { Db } from "@burnrate/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";

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
    const [[, dirtyRaw]] = (await deps.redis
      .multi()
      .zrange(deps.dirtyKey, "0", "-1", "WITHSCORES")
      .del(deps.dirtyKey)
      .exec()) as [[unknown, string[]]];
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

import type { FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";

const INCR = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;

type Cb = (err: Error | null, res?: { current: number; ttl: number }) => void;
/** Local counters kept at most this many keys (oldest dropped first), so memory stays bounded. */
const LOCAL_MAX_KEYS = 10_000;

/**
 * A store for @fastify/rate-limit that counts in Redis (shared by every API replica) and in this process's
 * memory; the larger count applies. While Redis is down or slow, the memory count alone throttles, instead of
 * login hanging or letting everyone through.
 * It uses its own connection without an offline queue, so an outage fails over at once, not after a timeout.
 */
export function resilientRateLimitStore(
  app: FastifyInstance,
  redis: Redis,
  nameSpace: string,
  opts: { timeoutMs?: number } = {},
): FastifyRateLimitStoreCtor {
  const timeoutMs = opts.timeoutMs ?? 250;
  const conn = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  let downSince: number | null = null;
  conn.on("error", (err: Error) => {
    if (downSince === null)
      app.log.warn({ err: err.message }, "rate limits counted in memory: Redis is unreachable");
    downSince ??= Date.now();
  });
  conn.on("ready", () => {
    if (downSince !== null) app.log.info("rate limits counted in Redis again");
    downSince = null;
  });
  app.addHook("onClose", async () => void conn.disconnect());
  const local = new Map<string, { count: number; resetAt: number }>();

  function localIncr(key: string, windowMs: number) {
    const now = Date.now();
    let e = local.get(key);
    if (!e || e.resetAt <= now) {
      if (e) local.delete(key);
      e = { count: 0, resetAt: now + windowMs };
      local.set(key, e);
      while (local.size > LOCAL_MAX_KEYS) local.delete(local.keys().next().value!);
    }
    e.count++;
    return { current: e.count, ttl: e.resetAt - now };
  }

  async function redisIncr(key: string, windowMs: number) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("rate limit store timeout")), timeoutMs);
    });
    try {
      const [current, ttl] = (await Promise.race([conn.eval(INCR, 1, key, windowMs), timeout])) as [
        number,
        number,
      ];
      return { current, ttl };
    } finally {
      clearTimeout(timer);
    }
  }

  return class ResilientStore {
    constructor(
      _options?: unknown,
      private readonly prefix: string = nameSpace,
    ) {}
    incr(key: string, cb: Cb, timeWindow: number, _max: number): void {
      const k = this.prefix + key;
      // Counted here too: the larger count wins, so attempts made while Redis was unreachable (or before it
      // restarted empty) still count once it answers again.
      const mine = localIncr(k, timeWindow);
      redisIncr(k, timeWindow).then(
        (r) => cb(null, r.current >= mine.current ? r : mine),
        () => cb(null, mine),
      );
    }
    child(routeOptions: unknown) {
      // The plugin passes the route's merged options (its typings say RouteOptions); routeInfo names the route.
      const { method, url } = (routeOptions as { routeInfo: { method: string; url: string } }).routeInfo;
      return new ResilientStore(undefined, `${this.prefix}${method}${url}-`);
    }
  };
}

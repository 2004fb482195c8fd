import type { Db } from "@burnrate/db";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";
import { evaluateSlos } from "./evaluate-slos";

/** How often the worker looks for services with fresh server errors, by default (BURNRATE_FAST_EVERY_MS). */
export const DEFAULT_FAST_EVERY_MS = 5_000;
/** SLOs evaluated together (as a cycle's shard): a fleet-wide outage is a few of these per pass. */
const FAST_BATCH = 500;

/**
 * The fast pass: between evaluation cycles, the SLOs of services that ingest saw fail since the last pass
 * (the hot-services set, written by ingest after each batch with a server error) are evaluated at once, so a
 * page comes within seconds of its fast tier's condition becoming true instead of at the next cycle (up to a
 * minute later).
 *
 * Nothing here decides anything of its own: it is evaluateSlos at this instant, over the windows a cycle at
 * this instant reads (which end with the current, partial minute), with slo-core's decisions, and it only
 * writes what pages (an alert that opens or escalates). A cycle that evaluates the same SLO meanwhile finds
 * the alert open (createAlertOnce takes a lock per SLO × region and re-checks), so one outage is one alert and
 * one message. The set is taken whole in one Redis transaction, so two workers never take the same service;
 * a pass that dies after taking it loses only speed (the cycle evaluates every SLO, and the outage's next
 * batch marks the service again). Nothing else is kept between passes: a restarted worker goes on as before.
 */
export function createFastPass(deps: {
  db: Db;
  redis: Redis;
  enqueue: Enqueue;
  hotKey: string;
  now: () => number;
  log: Logger;
}) {
  /** `taken`: services already taken from the set (the waiting loop's pop), with the minute of their newest error. */
  return async (taken: Record<string, number> = {}): Promise<{ services: number; slos: number }> => {
    const [[, raw]] = (await deps.redis
      .multi()
      .zrange(deps.hotKey, "0", "-1", "WITHSCORES")
      .del(deps.hotKey)
      .exec()) as [[unknown, string[]]];
    // By service, the minute of its newest error: the recompute covers it (and the usual recent minutes).
    const from: Record<string, number> = { ...taken };
    for (let i = 0; i + 1 < raw.length; i += 2)
      from[raw[i]!] = Math.max(Number(raw[i + 1]), from[raw[i]!] ?? -Infinity);
    if (Object.keys(from).length === 0) return { services: 0, slos: 0 };
    const slos = await deps.db.slo.findMany({
      where: { serviceId: { in: Object.keys(from) } },
      select: { id: true },
    });
    if (slos.length === 0) return { services: Object.keys(from).length, slos: 0 };
    // A shard's worth at a time (one recompute transaction each), as the cycle does.
    const ids = slos.map((s) => s.id);
    for (let i = 0; i < ids.length; i += FAST_BATCH) {
      const result = await evaluateSlos(deps, ids.slice(i, i + FAST_BATCH), from, { fast: true });
      if (result.error) throw result.error;
    }
    deps.log.debug({ services: Object.keys(from).length, slos: slos.length }, "fast pass");
    return { services: Object.keys(from).length, slos: slos.length };
  };
}

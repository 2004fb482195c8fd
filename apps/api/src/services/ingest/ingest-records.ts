import type { IngestResponse } from "@burnrate/contracts";
import {
  ensureRollupPartitions,
  poolQuery,
  sqlTransaction,
  upsertRollups,
  type Db,
  type RollupRow,
  type SqlQuery,
} from "@burnrate/db";
import { RequestBatch, type ParsedRecords, type RecordFieldNames } from "@burnrate/ingest";
import { dirtyServicesKey, hotServicesKey } from "@burnrate/jobs";
import { DAY_MS, MINUTE_MS } from "@burnrate/slo-core";
import type { Redis } from "ioredis";
import type { Actor } from "../../auth/actor";
import { epKey, lookupCatalog, mapEndpoints } from "./catalog";
import { DEFAULT_INGEST_LIMITS, createWithLimits, type IngestLimits } from "./catalog-limits";
import { claimKey, storeAnswer, type IdempotencyClaim } from "./idempotency";
import type { ParsePool } from "./parse-pool";
import { aggregate, dirtyMarks, rollupRows } from "./rollup-rows";
import { ClientGone, LastSeenWriter, within, type Semaphore } from "./runtime";
import { admitServices } from "./service-access";

/** Minutes in a day: rollup partitions are daily. */
const DAY_MIN = DAY_MS / MINUTE_MS;

export interface IngestDeps {
  db: Db;
  redis: Redis;
  actor: Actor | null;
  nowMs: number;
  queuePrefix: string;
  /** Called with the services that got endpoints they did not have (default SLOs then apply to them). */
  onNewEndpoints?: (serviceIds: string[]) => Promise<void>;
  /** How long a batch waits for onNewEndpoints before answering (it goes on in the background). */
  newEndpointsWaitMs?: number;
  limits?: IngestLimits;
  /** Last-seen times are written by this, off the batch's transaction (without it: after the commit). */
  lastSeen?: LastSeenWriter;
  idempotency?: IdempotencyClaim;
  /** True once the client has gone away: the batch is then abandoned (rolled back, not answered). */
  isGone?: () => boolean;
  /** Bounds the batches that use the database at once. */
  dbSlots?: Semaphore;
  /** Threads that parse NDJSON bodies off the main thread (ingestNdjson). */
  parsePool?: ParsePool | null;
  /** The request's names of the route and region fields, for errors (OTLP: http.route, cloud.region). */
  fieldNames?: RecordFieldNames;
  redisTimeoutMs?: number;
  log?: (e: unknown, msg: string) => void;
}

/**
 * Turns validated records into per-minute rollups and writes them; creates the endpoints and regions it meets,
 * up to the per-service limits (records beyond them are refused one by one). Atomic: a batch that creates
 * something or carries an Idempotency-Key is one transaction; otherwise its only write is one statement. An
 * error means nothing of the batch was stored. Aggregation runs over the batch's integer columns, in small
 * synchronous functions (each optimised on its own): no object or string per record.
 */
export async function ingestRecords(
  deps: IngestDeps,
  input: RequestBatch | ParsedRecords,
): Promise<IngestResponse> {
  const run = () => ingestBatch(deps, input);
  return deps.dbSlots ? deps.dbSlots.run(run, deps.isGone) : run();
}

/** The batch's transaction: services, catalog (created up to the limits), rollups, dirty marks, the answer. */
async function ingestBatch(deps: IngestDeps, input: RequestBatch | ParsedRecords): Promise<IngestResponse> {
  const { db, redis } = deps;
  const b = input instanceof RequestBatch ? input : RequestBatch.fromRecords(input);
  const sc = b.scanner;
  const errors = b.errors;
  const limits = deps.limits ?? DEFAULT_INGEST_LIMITS;
  const names = deps.fieldNames ?? { route: "route", region: "region" };

  // Services: those with at least one record, looked up once each; refused ones name every line.
  const { svcId, slugOfId, accepted: admitted } = await admitServices(db, deps.actor, b, "ingest");
  let accepted = admitted;

  // The endpoints, regions and (service, region) pairs the batch uses, and which of them exist.
  const m = accepted > 0 ? mapEndpoints(b, svcId) : null;
  const cat = m ? await lookupCatalog(poolQuery(db), m.regionSlugs, m.eps, m.pairs) : null;
  const creating =
    m !== null &&
    cat !== null &&
    (cat.regionIds.size < m.regionSlugs.length ||
      cat.endpointIds.size < m.eps.length ||
      cat.pairs.size < m.pairs.length);
  if (m) await ensureDays(db, b, m.recEp);

  const store = async (q: SqlQuery | null) => {
    let newFor: string[] = [];
    if (creating && q) {
      const c = await createWithLimits(q, m, cat, limits, slugOfId, names, b);
      newFor = c.newFor;
      accepted -= c.refused;
    }
    let minByService = new Map<string, number>();
    let errorsByService = new Map<string, number>();
    if (m && accepted > 0) {
      const regionUuid = sc.regions.map((slug, i) =>
        m.regionUsed[i] ? (cat!.regionIds.get(slug) ?? "") : "",
      );
      const epUuid = m.eps.map((e) => cat!.endpointIds.get(epKey(e)) ?? "");
      const agg = aggregate(b, m.recEp, m.minMinute);
      const r = rollupRows(b, agg, m.recEp, svcId, epUuid, regionUuid);
      minByService = r.minByService;
      errorsByService = r.errorsByService;
      await writeLive(q, r.rows, minByService);
    }
    const rejected = b.rejected + (b.n - accepted);
    const res: IngestResponse = {
      accepted,
      rejected,
      errors,
      ...(rejected > errors.length ? { errorsTruncated: true } : {}),
    };
    if (deps.idempotency && q) await storeAnswer(q, deps.idempotency, res);
    if (q && deps.isGone?.()) throw new ClientGone();
    return { res, newFor, minByService, errorsByService };
  };

  /** Live traffic: the dirty marks, then the minute rows. */
  const writeLive = async (q: SqlQuery | null, rows: RollupRow[], minByService: Map<string, number>) => {
    // The dirty marks go first (one ZADD … LT: a member's score only ever goes down, to its oldest minute
    // not evaluated): a mark without rows costs a recompute, rows without a mark would not be evaluated.
    await within(
      redis.zadd(dirtyServicesKey(deps.queuePrefix), "LT", ...dirtyMarks(minByService)),
      deps.redisTimeoutMs ?? 5000,
      "Redis",
    );
    if (deps.isGone?.()) throw new ClientGone();
    await upsertRollups(db, rows, q ?? undefined);
  };

  const out =
    creating || deps.idempotency
      ? await sqlTransaction(db, async (q) => {
          if (deps.idempotency) await claimKey(q, deps.idempotency);
          return store(q);
        })
      : await store(null);

  await afterCommit(deps, out);
  return out.res;
}

/** After the commit: the dirty marks again, last-seen times, default SLOs. Nothing here may fail the batch. */
async function afterCommit(
  deps: IngestDeps,
  out: { newFor: string[]; minByService: Map<string, number>; errorsByService: Map<string, number> },
): Promise<void> {
  const { db, redis } = deps;
  if (out.minByService.size > 0) {
    void redis.zadd(dirtyServicesKey(deps.queuePrefix), "LT", ...dirtyMarks(out.minByService)).catch(() => {
      /* the mark before the commit is there */
    });
    // After the commit, so the worker's fast pass finds the rows. Lost, it costs speed only: the cycle evaluates.
    if (out.errorsByService.size > 0)
      void redis
        .zadd(hotServicesKey(deps.queuePrefix), "GT", ...dirtyMarks(out.errorsByService))
        .catch(() => {
          /* the next cycle evaluates these services anyway */
        });
    if (deps.lastSeen) deps.lastSeen.mark(out.minByService.keys(), deps.nowMs);
    else {
      const w = new LastSeenWriter(db, 0, (e) => deps.log?.(e, "last-seen update failed"));
      w.mark(out.minByService.keys(), deps.nowMs);
      await w.flush();
    }
  }
  if (out.newFor.length > 0 && deps.onNewEndpoints) {
    const sync = deps
      .onNewEndpoints(out.newFor)
      .catch((e: unknown) => deps.log?.(e, "default SLOs for new endpoints failed"));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      sync,
      new Promise((r) => (timer = setTimeout(r, deps.newEndpointsWaitMs ?? 2000))),
    ]).finally(() => clearTimeout(timer));
  }
}

/** Makes sure the day partitions of the accepted records exist (before any transaction: DDL waits on locks). */
async function ensureDays(db: Db, b: RequestBatch, recEp: Int32Array): Promise<void> {
  let lo = Infinity;
  let hi = -Infinity;
  const minute = b.minute;
  for (let i = 0; i < b.n; i++) {
    if (recEp[i]! < 0) continue;
    const x = minute[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo === Infinity) return;
  if (hi - lo <= 2 * DAY_MIN)
    return ensureRollupPartitions(db, "request_rollups", lo * MINUTE_MS, hi * MINUTE_MS);
  // A batch spread over many days (late data): only the days it has.
  const days = new Set<number>();
  for (let i = 0; i < b.n; i++) if (recEp[i]! >= 0) days.add(Math.floor(minute[i]! / DAY_MIN));
  for (const d of days)
    await ensureRollupPartitions(db, "request_rollups", d * DAY_MIN * MINUTE_MS, d * DAY_MIN * MINUTE_MS);
}

import {
  LATENCY_BUCKETS,
  dirtyServicesKey,
  type IngestLineError,
  type IngestResponse,
} from "@burnrate/contracts";
import {
  ensureRollupPartitions,
  sqlRows,
  sqlTransaction,
  upsertRollups,
  type Db,
  type RollupRow,
  type SqlQuery,
} from "@burnrate/db";
import type { Redis } from "ioredis";
import { assertCanIngestTeam, type Actor } from "../plugins/auth";
import { MAX_LISTED_ERRORS, RequestBatch, type ParsedRecords } from "@burnrate/ingest";
import { MINUTE_MS } from "@burnrate/slo-core";
import { ClientGone, LastSeenWriter, within, type Semaphore } from "./ingest-runtime";

export { MAX_LISTED_ERRORS, parseNdjson, RequestBatch, type ParsedRecords } from "@burnrate/ingest";

/** How many endpoints and regions traffic may give one service (registering endpoints is not capped). */
export interface IngestLimits {
  maxEndpointsPerService: number;
  maxRegionsPerService: number;
}
export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxEndpointsPerService: 500, maxRegionsPerService: 50 };

/** A batch sent with an `Idempotency-Key`: its answer is stored with its rows, in the same transaction. */
export interface IdempotencyClaim {
  /** Whose key it is (`token:<id>` or `user:<id>`): keys of different callers never meet. */
  scope: string;
  key: string;
  /** sha256 of the body: the same key with another body is refused. */
  bodyHash: string;
  /** A key older than this is forgotten (and may be used again). */
  ttlHours: number;
  /** The answer as the route sends it (OTLP adds its own fields). */
  wrap: (res: IngestResponse) => unknown;
}

/** A concurrent request with the same Idempotency-Key stored its batch first: answer what it answered. */
export class IdempotentReplay extends Error {
  constructor(
    readonly statusCode: number,
    readonly response: unknown,
    readonly bodyHash: string,
  ) {
    super("replay of a stored ingest answer");
  }
}

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
  /** The request's names of the route and region fields, for errors (OTLP: http.route, cloud.region). */
  fieldNames?: { route: string; region: string };
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

async function ingestBatch(deps: IngestDeps, input: RequestBatch | ParsedRecords): Promise<IngestResponse> {
  const { db, redis, actor } = deps;
  const b = input instanceof RequestBatch ? input : RequestBatch.fromRecords(input);
  const sc = b.scanner;
  const errors = b.errors;
  const limits = deps.limits ?? DEFAULT_INGEST_LIMITS;
  const names = deps.fieldNames ?? { route: "route", region: "region" };

  // Services: those with at least one record, looked up once each; refused ones name every line.
  const slugs = usedServices(b);
  const found =
    slugs.length === 0
      ? []
      : await sqlRows<{ id: string; slug: string; teamId: string }>(
          db,
          `SELECT id::text, slug, team_id::text AS "teamId" FROM services WHERE slug = ANY($1::text[])`,
          [slugs],
        );
  const bySlug = new Map(found.map((s) => [s.slug, s]));
  const slugOfId = new Map(found.map((s) => [s.id, s.slug]));
  const svcId: (string | null)[] = sc.services.map((slug) => {
    const s = bySlug.get(slug);
    return s && assertCanIngestTeam(actor, s.teamId) ? s.id : null;
  });
  const refusal = sc.services.map((slug) =>
    bySlug.has(slug)
      ? `service: this token may not ingest for '${slug}'`
      : `service: unknown service '${slug}'; register it first`,
  );
  let accepted = refuseServices(b, svcId, refusal);

  // The endpoints, regions and (service, region) pairs the batch uses, and which of them exist.
  const m = accepted > 0 ? mapEndpoints(b, svcId) : null;
  const cat = m ? await lookupCatalog(sqlQuery(db), m.regionSlugs, m.eps, m.pairs) : null;
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
    if (m && accepted > 0) {
      const regionUuid = sc.regions.map((slug, i) =>
        m.regionUsed[i] ? (cat!.regionIds.get(slug) ?? "") : "",
      );
      const epUuid = m.eps.map((e) => cat!.endpointIds.get(`${e.serviceId} ${e.method} ${e.route}`) ?? "");
      const agg = aggregate(b, m.recEp, m.minMinute);
      const r = rollupRows(b, agg, m.recEp, svcId, epUuid, regionUuid);
      minByService = r.minByService;
      // The dirty marks go first (one ZADD … LT: a member's score only ever goes down, to its oldest minute
      // not evaluated): a mark without rows costs a recompute, rows without a mark would not be evaluated.
      await within(
        redis.zadd(dirtyServicesKey(deps.queuePrefix), "LT", ...dirtyMarks(minByService)),
        deps.redisTimeoutMs ?? 5000,
        "Redis",
      );
      if (deps.isGone?.()) throw new ClientGone();
      await upsertRollups(db, r.rows, q ?? undefined);
    }
    const rejected = b.rejected + (b.n - accepted);
    const res: IngestResponse = {
      accepted,
      rejected,
      errors,
      ...(rejected > errors.length ? { errorsTruncated: true } : {}),
    };
    const idem = deps.idempotency;
    if (idem && q)
      await q(
        `UPDATE ingest_idempotency SET status = 200, response = $3::jsonb WHERE scope = $1 AND key = $2`,
        [idem.scope, idem.key, JSON.stringify(idem.wrap(res))],
      );
    if (q && deps.isGone?.()) throw new ClientGone();
    return { res, newFor, minByService };
  };

  const out =
    creating || deps.idempotency
      ? await sqlTransaction(db, async (q) => {
          if (deps.idempotency) await claimKey(q, deps.idempotency);
          return store(q);
        })
      : await store(null);

  // After the commit: nothing here may fail the batch.
  if (out.minByService.size > 0) {
    void redis.zadd(dirtyServicesKey(deps.queuePrefix), "LT", ...dirtyMarks(out.minByService)).catch(() => {
      /* the mark before the commit is there */
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
  return out.res;
}

function dirtyMarks(minByService: Map<string, number>): (string | number)[] {
  const marks: (string | number)[] = [];
  for (const [serviceId, minuteMs] of minByService) marks.push(minuteMs, serviceId);
  return marks;
}

function sqlQuery(db: Db): SqlQuery {
  return (text, params) => sqlRows(db, text, params);
}

/**
 * Takes the batch's Idempotency-Key (a key older than its TTL is taken over). When a committed batch already
 * holds it, throws IdempotentReplay with its answer; a concurrent batch holding it is waited for.
 */
async function claimKey(q: SqlQuery, k: IdempotencyClaim): Promise<void> {
  const mine = await q(
    `INSERT INTO ingest_idempotency (scope, key, body_hash, created_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (scope, key) DO UPDATE
       SET body_hash = EXCLUDED.body_hash, status = NULL, response = NULL, created_at = EXCLUDED.created_at
       WHERE ingest_idempotency.created_at < now() - make_interval(hours => $4::int)
     RETURNING 1 AS ok`,
    [k.scope, k.key, k.bodyHash, k.ttlHours],
  );
  if (mine.length > 0) return;
  const [row] = await q<{ status: number | null; response: unknown; bodyHash: string }>(
    `SELECT status, response, body_hash AS "bodyHash" FROM ingest_idempotency WHERE scope = $1 AND key = $2`,
    [k.scope, k.key],
  );
  throw new IdempotentReplay(row?.status ?? 200, row?.response ?? null, row?.bodyHash ?? "");
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
  const DAY_MIN = 1440;
  if (hi - lo <= 2 * DAY_MIN)
    return ensureRollupPartitions(db, "request_rollups", lo * MINUTE_MS, hi * MINUTE_MS);
  // A batch spread over many days (late data): only the days it has.
  const days = new Set<number>();
  for (let i = 0; i < b.n; i++) if (recEp[i]! >= 0) days.add(Math.floor(minute[i]! / DAY_MIN));
  for (const d of days)
    await ensureRollupPartitions(db, "request_rollups", d * DAY_MIN * MINUTE_MS, d * DAY_MIN * MINUTE_MS);
}

/** The slugs of the services that have at least one record. */
function usedServices(b: RequestBatch): string[] {
  const services = b.scanner.services;
  const used = new Uint8Array(services.length);
  const col = b.service;
  for (let i = 0; i < b.n; i++) used[col[i]!] = 1;
  return services.filter((_, i) => used[i] === 1);
}

/** Names every record of a refused service (svcId null) in the batch's errors, in line order; the accepted count. */
function refuseServices(b: RequestBatch, svcId: (string | null)[], refusal: string[]): number {
  const col = b.service;
  const errors = b.errors;
  let accepted = 0;
  for (let i = 0; i < b.n; i++) {
    const s = col[i]!;
    if (svcId[s] !== null) accepted++;
    else if (errors.length < MAX_LISTED_ERRORS)
      errors.push({ line: b.line[i]!, field: "service", message: refusal[s]! });
  }
  return accepted;
}

interface Pair {
  serviceId: string;
  region: string;
}

/**
 * The endpoints (service, method + route) of the accepted records and the (service, region) pairs, each in
 * order of first appearance, each record's index into them (-1 for a refused one), the regions they use and
 * their oldest minute.
 */
function mapEndpoints(b: RequestBatch, svcId: (string | null)[]) {
  const sc = b.scanner;
  const bSvc = b.service;
  const bEp = b.endpoint;
  const bRegion = b.region;
  const bMinute = b.minute;
  const epOf = new IntPairMap();
  const pairOf = new IntPairMap();
  const eps: { serviceId: string; method: string; route: string }[] = [];
  const pairs: Pair[] = [];
  const recEp = new Int32Array(b.n);
  const recPair = new Int32Array(b.n);
  const regionUsed = new Uint8Array(sc.regions.length);
  let minMinute = 2 ** 31 - 1;
  for (let i = 0; i < b.n; i++) {
    const s = bSvc[i]!;
    const id = svcId[s] ?? null;
    if (id === null) {
      recEp[i] = -1;
      recPair[i] = -1;
      continue;
    }
    let e = epOf.get(bEp[i]!, s);
    if (e < 0) {
      e = eps.length;
      epOf.set(bEp[i]!, s, e);
      const x = sc.endpoints[bEp[i]!]!;
      eps.push({ serviceId: id, method: x.method, route: x.route });
    }
    recEp[i] = e;
    const r = bRegion[i]!;
    let p = pairOf.get(s, r);
    if (p < 0) {
      p = pairs.length;
      pairOf.set(s, r, p);
      pairs.push({ serviceId: id, region: sc.regions[r]! });
    }
    recPair[i] = p;
    regionUsed[r] = 1;
    if (bMinute[i]! < minMinute) minMinute = bMinute[i]!;
  }
  const regionSlugs = sc.regions.filter((_, i) => regionUsed[i] === 1);
  return { eps, pairs, recEp, recPair, regionUsed, regionSlugs, minMinute };
}

interface Catalog {
  /** Region slug → id. */
  regionIds: Map<string, string>;
  /** `serviceId method route` → endpoint id. */
  endpointIds: Map<string, string>;
  /** `serviceId region` of the pairs that exist. */
  pairs: Set<string>;
}

/** Which of the regions, endpoints and (service, region) pairs exist: one read-only statement. */
async function lookupCatalog(
  q: SqlQuery,
  regionSlugs: string[],
  eps: { serviceId: string; method: string; route: string }[],
  pairs: Pair[],
  into: Catalog = { regionIds: new Map(), endpointIds: new Map(), pairs: new Set() },
): Promise<Catalog> {
  type Row = { k: "r" | "e" | "p"; id: string; a: string; b: string | null; c: string | null };
  const rows = await q<Row>(
    `SELECT 'r' AS k, id::text, slug AS a, NULL::text AS b, NULL::text AS c FROM regions WHERE slug = ANY($1::text[])
     UNION ALL
     SELECT 'e', e.id::text, e.service_id::text, e.method, e.route
       FROM endpoints e JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS x(service_id, method, route)
            USING (service_id, method, route)
     UNION ALL
     SELECT 'p', '', sr.service_id::text, r.slug, NULL
       FROM unnest($5::uuid[], $6::text[]) AS x(service_id, slug)
       JOIN regions r ON r.slug = x.slug
       JOIN service_regions sr ON sr.service_id = x.service_id AND sr.region_id = r.id`,
    [
      regionSlugs,
      eps.map((e) => e.serviceId),
      eps.map((e) => e.method),
      eps.map((e) => e.route),
      pairs.map((p) => p.serviceId),
      pairs.map((p) => p.region),
    ],
  );
  for (const r of rows) {
    if (r.k === "r") into.regionIds.set(r.a, r.id);
    else if (r.k === "e") into.endpointIds.set(`${r.a} ${r.b} ${r.c}`, r.id);
    else into.pairs.add(`${r.a} ${r.b}`);
  }
  return into;
}

/**
 * Creates the missing endpoints, regions and (service, region) pairs of a batch, in its transaction, up to the
 * per-service limits, in order of first appearance; records whose endpoint or region is beyond a limit are
 * refused (named in the errors) and taken out of the batch (recEp = -1). Creation for a service is serialised
 * by an advisory lock (taken in id order), so concurrent batches cannot pass a limit together; every other
 * lock is taken in a fixed order too (regions by slug, endpoints by service, method, route).
 */
async function createWithLimits(
  q: SqlQuery,
  m: NonNullable<ReturnType<typeof mapEndpoints>>,
  cat: Catalog,
  limits: IngestLimits,
  slugOfId: Map<string, string>,
  names: { route: string; region: string },
  b: RequestBatch,
): Promise<{ newFor: string[]; refused: number }> {
  const epKey = (e: { serviceId: string; method: string; route: string }) =>
    `${e.serviceId} ${e.method} ${e.route}`;
  const pairKey = (p: Pair) => `${p.serviceId} ${p.region}`;
  const services = [
    ...new Set([
      ...m.eps.filter((e) => !cat.endpointIds.has(epKey(e))).map((e) => e.serviceId),
      ...m.pairs.filter((p) => !cat.pairs.has(pairKey(p))).map((p) => p.serviceId),
    ]),
  ].sort();
  await q(
    `SELECT pg_advisory_xact_lock(hashtextextended('burnrate.ingest.catalog:' || id, 0))::text AS l
       FROM (SELECT id FROM unnest($1::text[]) AS x(id) ORDER BY id) s`,
    [services],
  );
  // Under the locks: what exists now (a batch that held them may have created some), and the counts.
  const missEps = m.eps.filter((e) => !cat.endpointIds.has(epKey(e)));
  const missPairs = m.pairs.filter((p) => !cat.pairs.has(pairKey(p)));
  await lookupCatalog(
    q,
    m.regionSlugs.filter((s) => !cat.regionIds.has(s)),
    missEps,
    missPairs,
    cat,
  );
  const counts = await q<{ id: string; eps: number; regs: number }>(
    `SELECT s.id::text,
            (SELECT count(*)::int FROM endpoints e WHERE e.service_id = s.id) AS eps,
            (SELECT count(*)::int FROM service_regions r WHERE r.service_id = s.id) AS regs
       FROM unnest($1::uuid[]) AS s(id)`,
    [services],
  );
  const epCount = new Map(counts.map((c) => [c.id, c.eps]));
  const regCount = new Map(counts.map((c) => [c.id, c.regs]));
  const epOk = new Uint8Array(m.eps.length).fill(1);
  const newEps: typeof m.eps = [];
  m.eps.forEach((e, i) => {
    if (cat.endpointIds.has(epKey(e))) return;
    const n = epCount.get(e.serviceId) ?? 0;
    if (n >= limits.maxEndpointsPerService) epOk[i] = 0;
    else {
      epCount.set(e.serviceId, n + 1);
      newEps.push(e);
    }
  });
  // Pairs count only for records whose endpoint is in.
  const pairUsed = new Uint8Array(m.pairs.length);
  for (let i = 0; i < b.n; i++) {
    const e = m.recEp[i]!;
    if (e >= 0 && epOk[e]) pairUsed[m.recPair[i]!] = 1;
  }
  const pairOk = new Uint8Array(m.pairs.length).fill(1);
  const newPairs: Pair[] = [];
  m.pairs.forEach((p, i) => {
    if (cat.pairs.has(pairKey(p)) || !pairUsed[i]) return;
    const n = regCount.get(p.serviceId) ?? 0;
    if (n >= limits.maxRegionsPerService) pairOk[i] = 0;
    else {
      regCount.set(p.serviceId, n + 1);
      newPairs.push(p);
    }
  });

  // Regions (global) that allowed pairs need, then endpoints, then the pairs.
  const newRegions = [...new Set(newPairs.map((p) => p.region))].filter((s) => !cat.regionIds.has(s)).sort();
  if (newRegions.length > 0) {
    await q(
      `INSERT INTO regions (id, slug, name, production)
       SELECT gen_random_uuid(), slug, slug, slug LIKE 'prod%' FROM unnest($1::text[]) AS x(slug) ORDER BY slug
       ON CONFLICT (slug) DO NOTHING`,
      [newRegions],
    );
    await lookupCatalog(q, newRegions, [], [], cat);
  }
  const newFor = new Set<string>();
  if (newEps.length > 0) {
    const sorted = [...newEps].sort((x, y) => cmp(epKey(x), epKey(y)));
    const made = await q<{ id: string; s: string; method: string; route: string }>(
      `INSERT INTO endpoints (id, service_id, method, route)
       SELECT gen_random_uuid(), service_id, method, route
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(service_id, method, route)
        ORDER BY service_id, method, route
       ON CONFLICT (service_id, method, route) DO NOTHING
       RETURNING id::text, service_id::text AS s, method, route`,
      [sorted.map((e) => e.serviceId), sorted.map((e) => e.method), sorted.map((e) => e.route)],
    );
    for (const r of made) {
      cat.endpointIds.set(`${r.s} ${r.method} ${r.route}`, r.id);
      newFor.add(r.s);
    }
    // Created meanwhile by the registry (not under the lock): visible now.
    if (made.length < sorted.length) await lookupCatalog(q, [], sorted, [], cat);
  }
  if (newPairs.length > 0) {
    const sorted = newPairs
      .map((p) => ({ s: p.serviceId, r: cat.regionIds.get(p.region)! }))
      .sort((x, y) => cmp(x.s, y.s) || cmp(x.r, y.r));
    await q(
      `INSERT INTO service_regions (service_id, region_id)
       SELECT s, r FROM unnest($1::uuid[], $2::uuid[]) AS x(s, r) ORDER BY s, r
       ON CONFLICT DO NOTHING`,
      [sorted.map((x) => x.s), sorted.map((x) => x.r)],
    );
  }

  // Records beyond a limit: refused, one by one, in line order.
  let refused = 0;
  if (epOk.includes(0) || pairOk.includes(0)) {
    const errors = b.errors;
    const capErrors: IngestLineError[] = [];
    for (let i = 0; i < b.n; i++) {
      const e = m.recEp[i]!;
      if (e < 0) continue;
      const p = m.recPair[i]!;
      if (epOk[e] && pairOk[p]) continue;
      m.recEp[i] = -1;
      refused++;
      if (errors.length + capErrors.length >= MAX_LISTED_ERRORS) continue;
      const slug = slugOfId.get(m.eps[e]!.serviceId) ?? "";
      capErrors.push(
        !epOk[e]
          ? {
              line: b.line[i]!,
              field: names.route,
              message: `${names.route}: service '${slug}' already has ${limits.maxEndpointsPerService} endpoints, the most that traffic may create; '${m.eps[e]!.method} ${m.eps[e]!.route}' is not created (register it, or raise BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE)`,
            }
          : {
              line: b.line[i]!,
              field: names.region,
              message: `${names.region}: service '${slug}' already has traffic in ${limits.maxRegionsPerService} regions, the most allowed; region '${m.pairs[p]!.region}' is not added (raise BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE)`,
            },
      );
    }
    if (capErrors.length > 0) {
      for (const e of capErrors) errors.push(e);
      errors.sort((x, y) => x.line - y.line);
    }
  }
  return { newFor: [...newFor], refused };
}

interface Aggregated {
  rows: number;
  /** A record of each row (for its endpoint, region, minute and status). */
  rowRec: Int32Array;
  count: Int32Array;
  /** LATENCY_BUCKETS counts per row. */
  latency: Int32Array;
}

/**
 * One row per (endpoint, region, minute, status), keyed by (endpoint × regions + region, minute offset × 500
 * + status − 100); counts and histograms in flat typed arrays.
 */
function aggregate(b: RequestBatch, recEp: Int32Array, minMinute: number): Aggregated {
  const nRegions = b.scanner.regions.length;
  const bRegion = b.region;
  const bMinute = b.minute;
  const bStatus = b.status;
  const bBucket = b.bucket;
  const rowOf = new IntPairMap();
  let rows = 0;
  let rowRec = new Int32Array(256);
  let count = new Int32Array(256);
  let latency = new Int32Array(256 * LATENCY_BUCKETS);
  for (let i = 0; i < b.n; i++) {
    const e = recEp[i]!;
    if (e < 0) continue;
    const stream = e * nRegions + bRegion[i]!;
    const sub = (bMinute[i]! - minMinute) * 500 + bStatus[i]! - 100;
    let r = rowOf.get(stream, sub);
    if (r < 0) {
      r = rows++;
      rowOf.set(stream, sub, r);
      if (r === count.length) {
        rowRec = grow(rowRec);
        count = grow(count);
        latency = grow(latency);
      }
      rowRec[r] = i;
    }
    count[r]!++;
    latency[r * LATENCY_BUCKETS + bBucket[i]!]!++;
  }
  return { rows, rowRec, count, latency };
}

/**
 * The rollup rows sorted by primary key (concurrent batches lock rows in the same order, so they never
 * deadlock), and each service's oldest minute.
 */
function rollupRows(
  b: RequestBatch,
  agg: Aggregated,
  recEp: Int32Array,
  svcId: (string | null)[],
  epUuid: string[],
  regionUuid: string[],
): { rows: RollupRow[]; minByService: Map<string, number> } {
  const { rows, rowRec, count, latency } = agg;
  const bSvc = b.service;
  const bRegion = b.region;
  const bMinute = b.minute;
  const bStatus = b.status;
  const epRank = rank(epUuid);
  const regionRank = rank(regionUuid);
  const svcRank = rank(svcId.map((x) => x ?? ""));
  // Five sort keys per row, packed in one typed array.
  const keys = new Float64Array(rows * 5);
  for (let r = 0; r < rows; r++) {
    const i = rowRec[r]!;
    keys[r * 5] = svcRank[bSvc[i]!]!;
    keys[r * 5 + 1] = bMinute[i]!;
    keys[r * 5 + 2] = epRank[recEp[i]!]!;
    keys[r * 5 + 3] = regionRank[bRegion[i]!]!;
    keys[r * 5 + 4] = bStatus[i]!;
  }
  const order = Array.from({ length: rows }, (_, r) => r);
  order.sort((x, y) => {
    for (let k = 0; k < 5; k++) {
      const d = keys[x * 5 + k]! - keys[y * 5 + k]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  const out: RollupRow[] = new Array(rows);
  const minByService = new Map<string, number>();
  for (let k = 0; k < rows; k++) {
    const r = order[k]!;
    const i = rowRec[r]!;
    const serviceId = svcId[bSvc[i]!]!;
    const minuteMs = bMinute[i]! * MINUTE_MS;
    out[k] = {
      serviceId,
      endpointId: epUuid[recEp[i]!]!,
      regionId: regionUuid[bRegion[i]!]!,
      minuteMs,
      status: bStatus[i]!,
      count: count[r]!,
      latency: latency.subarray(r * LATENCY_BUCKETS, (r + 1) * LATENCY_BUCKETS),
    };
    const prev = minByService.get(serviceId);
    if (prev === undefined || minuteMs < prev) minByService.set(serviceId, minuteMs);
  }
  return { rows: out, minByService };
}

/** (a, b) → value for non-negative int32 pairs: open addressing over typed arrays, no allocation per lookup. */
class IntPairMap {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private v = new Int32Array(1024).fill(-1);
  private size = 0;

  /** The value, or -1. */
  get(a: number, b: number): number {
    const mask = this.v.length - 1;
    for (let i = hashPair(a, b) & mask; ; i = (i + 1) & mask) {
      const v = this.v[i]!;
      if (v < 0 || (this.a[i] === a && this.b[i] === b)) return v;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.v.length) this.rehash();
    const mask = this.v.length - 1;
    let i = hashPair(a, b) & mask;
    while (this.v[i]! >= 0 && !(this.a[i] === a && this.b[i] === b)) i = (i + 1) & mask;
    if (this.v[i]! < 0) this.size++;
    this.a[i] = a;
    this.b[i] = b;
    this.v[i] = value;
  }

  private rehash(): void {
    const { a, b, v } = this;
    const cap = v.length * 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.v = new Int32Array(cap).fill(-1);
    this.size = 0;
    for (let i = 0; i < v.length; i++) if (v[i]! >= 0) this.set(a[i]!, b[i]!, v[i]!);
  }
}

function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12);
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const x = new Int32Array(a.length * 2);
  x.set(a);
  return x;
}

/** The rank of each string among the distinct strings of `xs` (for sorting by uuid with integer compares). */
function rank(xs: string[]): Int32Array {
  const sorted = [...new Set(xs)].sort((a, b) => cmp(a, b));
  const at = new Map(sorted.map((x, i) => [x, i]));
  return Int32Array.from(xs, (x) => at.get(x)!);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

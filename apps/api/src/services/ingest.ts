import { LATENCY_BUCKETS, dirtyServicesKey, type IngestResponse } from "@burnrate/contracts";
import { sqlRows, upsertRollups, type Db, type RollupRow } from "@burnrate/db";
import type { Redis } from "ioredis";
import { assertCanIngestTeam, type Actor } from "../plugins/auth";
import { MAX_LISTED_ERRORS, MINUTE_MS, RequestBatch, type ParsedRecords } from "./ingest-parse";

export { MAX_LISTED_ERRORS, parseNdjson, RequestBatch, type ParsedRecords } from "./ingest-parse";

export interface IngestDeps {
  db: Db;
  redis: Redis;
  actor: Actor | null;
  nowMs: number;
  queuePrefix: string;
  /** Called with the services that got endpoints they did not have (default SLOs then apply to them). */
  onNewEndpoints?: (serviceIds: string[]) => Promise<void>;
}

/**
 * Turns validated records into per-minute rollups and writes them in one statement; creates the endpoints and
 * regions it meets (one statement for both). Aggregation runs over the batch's integer columns, in small
 * synchronous functions (each optimised on its own): no object or string per record.
 */
export async function ingestRecords(
  deps: IngestDeps,
  input: RequestBatch | ParsedRecords,
): Promise<IngestResponse> {
  const { db, redis, actor } = deps;
  const b = input instanceof RequestBatch ? input : RequestBatch.fromRecords(input);
  const sc = b.scanner;
  const errors = b.errors;

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
  const svcId: (string | null)[] = sc.services.map((slug) => {
    const s = bySlug.get(slug);
    return s && assertCanIngestTeam(actor, s.teamId) ? s.id : null;
  });
  const refusal = sc.services.map((slug) =>
    bySlug.has(slug)
      ? `service: this token may not ingest for '${slug}'`
      : `service: unknown service '${slug}'; register it first`,
  );
  const accepted = refuseServices(b, svcId, refusal);
  const rejected = b.rejected + (b.n - accepted);

  if (accepted > 0) {
    const m = mapEndpoints(b, svcId);
    const regionSlugs = sc.regions.filter((_, i) => m.regionUsed[i] === 1);
    const { regionIds, endpointIds, newFor } = await ensureRegionsAndEndpoints(db, regionSlugs, m.eps);
    if (newFor.length > 0) await deps.onNewEndpoints?.(newFor);
    const regionUuid = sc.regions.map((slug, i) => (m.regionUsed[i] ? (regionIds.get(slug) ?? "") : ""));
    const epUuid = m.eps.map((e) => endpointIds.get(`${e.serviceId} ${e.method} ${e.route}`)!);
    const agg = aggregate(b, m.recEp, m.minMinute);
    const { rows, minByService } = rollupRows(b, agg, m.recEp, svcId, epUuid, regionUuid);
    // The rollups, and meanwhile (another connection) the services' last-seen time; then the dirty marks: one
    // ZADD … LT of every service (a member's score only ever goes down, to its oldest minute not evaluated).
    const seenAt = new Date(deps.nowMs).toISOString();
    await Promise.all([
      upsertRollups(db, rows),
      sqlRows(db, `UPDATE services SET last_seen_at = $1, updated_at = $1 WHERE id = ANY($2::uuid[])`, [
        seenAt,
        [...minByService.keys()],
      ]),
    ]);
    const marks: (string | number)[] = [];
    for (const [serviceId, minuteMs] of minByService) marks.push(minuteMs, serviceId);
    await redis.zadd(dirtyServicesKey(deps.queuePrefix), "LT", ...marks);
  }
  return {
    accepted,
    rejected,
    errors,
    ...(rejected > errors.length ? { errorsTruncated: true } : {}),
  };
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

/**
 * The endpoints (service, method + route) of the accepted records, each record's index into them (-1 for a
 * refused one), the regions they use and their oldest minute.
 */
function mapEndpoints(b: RequestBatch, svcId: (string | null)[]) {
  const sc = b.scanner;
  const bSvc = b.service;
  const bEp = b.endpoint;
  const bRegion = b.region;
  const bMinute = b.minute;
  const epOf = new IntPairMap();
  const eps: { serviceId: string; method: string; route: string }[] = [];
  const recEp = new Int32Array(b.n);
  const regionUsed = new Uint8Array(sc.regions.length);
  let minMinute = 2 ** 31 - 1;
  for (let i = 0; i < b.n; i++) {
    const s = bSvc[i]!;
    const id = svcId[s] ?? null;
    if (id === null) {
      recEp[i] = -1;
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
    regionUsed[bRegion[i]!] = 1;
    if (bMinute[i]! < minMinute) minMinute = bMinute[i]!;
  }
  return { eps, recEp, regionUsed, minMinute };
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

/**
 * Creates the regions and endpoints a batch uses that do not exist yet, and returns the ids of all of them, in
 * one statement (a second one only when a concurrent batch created some of them after this statement's
 * snapshot). Inserted in a fixed order, so concurrent batches creating the same ones do not deadlock.
 */
async function ensureRegionsAndEndpoints(
  db: Db,
  regionSlugs: string[],
  eps: { serviceId: string; method: string; route: string }[],
): Promise<{ regionIds: Map<string, string>; endpointIds: Map<string, string>; newFor: string[] }> {
  type Row = { k: "r" | "e"; id: string; a: string; b: string | null; c: string | null; created: boolean };
  const args = [regionSlugs, eps.map((e) => e.serviceId), eps.map((e) => e.method), eps.map((e) => e.route)];
  const rows = await sqlRows<Row>(
    db,
    `WITH rin AS (SELECT DISTINCT slug FROM unnest($1::text[]) AS x(slug)),
     rnew AS (
       INSERT INTO regions (id, slug, name, production)
       SELECT gen_random_uuid(), slug, slug, slug LIKE 'prod%' FROM rin ORDER BY slug
       ON CONFLICT (slug) DO NOTHING RETURNING id, slug
     ),
     ein AS (SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[]) AS x(service_id, method, route)),
     enew AS (
       INSERT INTO endpoints (id, service_id, method, route)
       SELECT gen_random_uuid(), service_id, method, route FROM ein ORDER BY service_id, method, route
       ON CONFLICT (service_id, method, route) DO NOTHING RETURNING id, service_id, method, route
     )
     SELECT 'r' AS k, id::text, slug AS a, NULL::text AS b, NULL::text AS c, true AS created FROM rnew
     UNION ALL
     SELECT 'r', r.id::text, r.slug, NULL, NULL, false FROM regions r JOIN rin USING (slug)
     UNION ALL
     SELECT 'e', id::text, service_id::text, method, route, true FROM enew
     UNION ALL
     SELECT 'e', e.id::text, e.service_id::text, e.method, e.route, false
       FROM endpoints e JOIN ein USING (service_id, method, route)`,
    args,
  );
  const regionIds = new Map<string, string>();
  const endpointIds = new Map<string, string>();
  const newFor = new Set<string>();
  const take = (r: Row) => {
    if (r.k === "r") regionIds.set(r.a, r.id);
    else {
      endpointIds.set(`${r.a} ${r.b} ${r.c}`, r.id);
      if (r.created) newFor.add(r.a);
    }
  };
  rows.forEach(take);
  if (regionIds.size < regionSlugs.length || endpointIds.size < eps.length) {
    // Created by a concurrent batch after this statement's snapshot: visible now.
    const again = await sqlRows<Row>(
      db,
      `SELECT 'r' AS k, id::text, slug AS a, NULL::text AS b, NULL::text AS c, false AS created
         FROM regions WHERE slug = ANY($1::text[])
       UNION ALL
       SELECT 'e', e.id::text, e.service_id::text, e.method, e.route, false
         FROM endpoints e JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS x(service_id, method, route)
              USING (service_id, method, route)`,
      args,
    );
    again.forEach(take);
  }
  return { regionIds, endpointIds, newFor: [...newFor] };
}

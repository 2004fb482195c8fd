import {
  LATENCY_BUCKETS,
  dirtyServicesKey,
  latencyBucket,
  validateRequestRecord,
  type IngestLineError,
  type IngestResponse,
  type RequestRecord,
} from "@burnrate/contracts";
import { upsertRollups, type Db, type RollupRow } from "@burnrate/db";
import type { Redis } from "ioredis";
import { assertCanIngestTeam, type Actor } from "../plugins/auth";

/**
 * At most this many per-line errors are listed per request; the counts stay exact, and `errorsTruncated`
 * says when the list is cut. 100,000 names every bad line of any realistic batch (the bad-input test sends
 * 10,000 bad lines in one body) while bounding the response (~10 MB) for a body of millions of 2-byte lines.
 */
export const MAX_LISTED_ERRORS = 100_000;
const MINUTE_MS = 60_000;

export interface IngestDeps {
  db: Db;
  redis: Redis;
  actor: Actor | null;
  nowMs: number;
  queuePrefix: string;
  /** Called with the services that got endpoints they did not have (default SLOs then apply to them). */
  onNewEndpoints?: (serviceIds: string[]) => Promise<void>;
}

export interface ParsedRecords {
  records: { line: number; r: RequestRecord }[];
  errors: IngestLineError[];
  rejected: number;
}

/** Parses NDJSON: each line is validated on its own, and a bad line costs only itself. */
export function parseNdjson(text: string, nowMs: number): ParsedRecords {
  const records: { line: number; r: RequestRecord }[] = [];
  const errors: IngestLineError[] = [];
  let rejected = 0;
  let line = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    line++;
    // JSON.parse skips surrounding whitespace (and \r) itself: no trim() copy on the hot path.
    const raw = text.slice(start, end);
    start = end + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      if (/^\s*$/.test(raw)) continue; // a blank line is not a record
      rejected++;
      if (errors.length < MAX_LISTED_ERRORS)
        errors.push({ line, message: `invalid JSON: ${(e as Error).message}` });
      continue;
    }
    const v = validateRequestRecord(obj, nowMs);
    if (v.ok) records.push({ line, r: v.record });
    else {
      rejected++;
      if (errors.length < MAX_LISTED_ERRORS)
        errors.push({ line, field: v.field || undefined, message: v.message });
    }
  }
  return { records, errors, rejected };
}

/**
 * Turns validated records into per-minute rollups and writes them in one statement; creates the endpoints and
 * regions it meets (one round trip each per batch). Aggregation keys are small integers, not strings of ids.
 */
export async function ingestRecords(deps: IngestDeps, parsed: ParsedRecords): Promise<IngestResponse> {
  const { db, redis, actor } = deps;
  const errors = parsed.errors;
  let rejected = parsed.rejected;
  const slugs = new Set<string>();
  for (const x of parsed.records) slugs.add(x.r.service);
  const services = new Map(
    (
      await db.service.findMany({
        where: { slug: { in: [...slugs] } },
        select: { id: true, slug: true, teamId: true },
      })
    ).map((s) => [s.slug, s]),
  );
  const refusal = new Map<string, string | null>();
  for (const slug of slugs) {
    const s = services.get(slug);
    refusal.set(
      slug,
      !s
        ? `service: unknown service '${slug}'; register it first`
        : !assertCanIngestTeam(actor, s.teamId)
          ? `service: this token may not ingest for '${slug}'`
          : null,
    );
  }
  const ok: RequestRecord[] = [];
  for (const { line, r } of parsed.records) {
    const why = refusal.get(r.service);
    if (why) {
      rejected++;
      if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, field: "service", message: why });
    } else ok.push(r);
  }
  if (ok.length > 0) {
    // Small integer ids for regions and endpoints seen in this batch, resolved to uuids once each.
    const regionIdx = new Map<string, number>();
    const regionSlugs: string[] = [];
    const epIdx = new Map<string, number>();
    const eps: { serviceId: string; method: string; route: string }[] = [];
    const recEp = new Int32Array(ok.length);
    const recRegion = new Int32Array(ok.length);
    for (let i = 0; i < ok.length; i++) {
      const r = ok[i]!;
      let g = regionIdx.get(r.region);
      if (g === undefined) {
        g = regionSlugs.length;
        regionIdx.set(r.region, g);
        regionSlugs.push(r.region);
      }
      recRegion[i] = g;
      const ek = `${r.service} ${r.method} ${r.route}`;
      let e = epIdx.get(ek);
      if (e === undefined) {
        e = eps.length;
        epIdx.set(ek, e);
        eps.push({ serviceId: services.get(r.service)!.id, method: r.method, route: r.route });
      }
      recEp[i] = e;
    }
    const regionIds = await ensureRegions(db, regionSlugs);
    const { ids: endpointIds, newFor } = await ensureEndpoints(db, eps);
    if (newFor.length > 0) await deps.onNewEndpoints?.(newFor);
    const regionUuid = regionSlugs.map((s) => regionIds.get(s)!);
    const epUuid = eps.map((e) => endpointIds.get(`${e.serviceId} ${e.method} ${e.route}`)!);

    // Key = ((endpoint × regions + region) × minutes + minute offset) × 500 + (status − 100): an exact integer.
    let minMinute = Infinity;
    for (const r of ok) minMinute = Math.min(minMinute, Math.floor(r.tsMs / MINUTE_MS));
    const rows = new Map<number, RollupRow>();
    const minMinuteByService = new Map<string, number>();
    const nRegions = regionSlugs.length;
    const MINUTES = 8 * 24 * 60 + 10; // the accepted ts range (7 days + 5 min) fits
    for (let i = 0; i < ok.length; i++) {
      const r = ok[i]!;
      const minute = Math.floor(r.tsMs / MINUTE_MS);
      const key =
        ((recEp[i]! * nRegions + recRegion[i]!) * MINUTES + (minute - minMinute)) * 500 + r.status - 100;
      let row = rows.get(key);
      if (!row) {
        const ep = eps[recEp[i]!]!;
        row = {
          serviceId: ep.serviceId,
          endpointId: epUuid[recEp[i]!]!,
          regionId: regionUuid[recRegion[i]!]!,
          minuteMs: minute * MINUTE_MS,
          status: r.status,
          count: 0,
          latency: new Int32Array(LATENCY_BUCKETS),
        };
        rows.set(key, row);
        const prev = minMinuteByService.get(ep.serviceId);
        if (prev === undefined || row.minuteMs < prev) minMinuteByService.set(ep.serviceId, row.minuteMs);
      }
      row.count++;
      (row.latency as Int32Array)[latencyBucket(r.durationMs)]!++;
    }
    // Sorted by primary key: concurrent batches lock rows in the same order, so they never deadlock.
    const sorted = [...rows.values()].sort(
      (a, b) =>
        cmp(a.serviceId, b.serviceId) ||
        a.minuteMs - b.minuteMs ||
        cmp(a.endpointId, b.endpointId) ||
        cmp(a.regionId, b.regionId) ||
        a.status - b.status,
    );
    await upsertRollups(db, sorted);
    const pipe = redis.pipeline();
    for (const [serviceId, minuteMs] of minMinuteByService)
      pipe.zadd(dirtyServicesKey(deps.queuePrefix), "LT", minuteMs, serviceId);
    await pipe.exec();
    await db.service.updateMany({
      where: { id: { in: [...minMinuteByService.keys()] } },
      data: { lastSeenAt: new Date(deps.nowMs) },
    });
  }
  return {
    accepted: ok.length,
    rejected,
    errors,
    ...(rejected > errors.length ? { errorsTruncated: true } : {}),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function ensureRegions(db: Db, slugs: string[]): Promise<Map<string, string>> {
  await db.region.createMany({
    data: slugs.map((slug) => ({ slug, name: slug, production: /^prod/.test(slug) })),
    skipDuplicates: true,
  });
  const rows = await db.region.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  return new Map(rows.map((r) => [r.slug, r.id]));
}

async function ensureEndpoints(
  db: Db,
  list: { serviceId: string; method: string; route: string }[],
): Promise<{ ids: Map<string, string>; newFor: string[] }> {
  const created = await db.endpoint.createManyAndReturn({
    data: list,
    skipDuplicates: true,
    select: { serviceId: true },
  });
  const rows = await db.endpoint.findMany({
    where: { serviceId: { in: [...new Set(list.map((e) => e.serviceId))] } },
    select: { id: true, serviceId: true, method: true, route: true },
  });
  return {
    ids: new Map(rows.map((r) => [`${r.serviceId} ${r.method} ${r.route}`, r.id])),
    newFor: [...new Set(created.map((c) => c.serviceId))],
  };
}

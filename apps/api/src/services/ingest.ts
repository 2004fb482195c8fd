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

/** At most this many per-line errors are listed; the counts stay exact. */
const MAX_LISTED_ERRORS = 1000;
const MINUTE_MS = 60_000;

export interface IngestDeps {
  db: Db;
  redis: Redis;
  actor: Actor | null;
  nowMs: number;
  queuePrefix: string;
}

/** Parses NDJSON: each line is validated on its own, and a bad line costs only itself. */
export function parseNdjson(
  text: string,
  nowMs: number,
): { records: { line: number; r: RequestRecord }[]; errors: IngestLineError[]; rejected: number } {
  const records: { line: number; r: RequestRecord }[] = [];
  const errors: IngestLineError[] = [];
  let rejected = 0;
  let line = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw.length === 0) {
      if (end === n) break;
      continue;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
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

/** Turns validated records into per-minute rollups and writes them; creates endpoints and regions it meets. */
export async function ingestRecords(
  deps: IngestDeps,
  parsed: { records: { line: number; r: RequestRecord }[]; errors: IngestLineError[]; rejected: number },
): Promise<IngestResponse> {
  const { db, redis, actor } = deps;
  const errors = parsed.errors;
  let rejected = parsed.rejected;
  const slugs = [...new Set(parsed.records.map((x) => x.r.service))];
  const services = new Map(
    (
      await db.service.findMany({
        where: { slug: { in: slugs } },
        select: { id: true, slug: true, teamId: true },
      })
    ).map((s) => [s.slug, s]),
  );
  const ok: RequestRecord[] = [];
  for (const { line, r } of parsed.records) {
    const s = services.get(r.service);
    const why = !s
      ? `service: unknown service '${r.service}'; register it first`
      : !assertCanIngestTeam(actor, s.teamId)
        ? `service: this token may not ingest for '${r.service}'`
        : null;
    if (why) {
      rejected++;
      if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, field: "service", message: why });
    } else ok.push(r);
  }
  if (ok.length > 0) {
    const regionIds = await ensureRegions(db, [...new Set(ok.map((r) => r.region))]);
    const endpointIds = await ensureEndpoints(
      db,
      ok.map((r) => ({ serviceId: services.get(r.service)!.id, method: r.method, route: r.route })),
    );
    const rows = new Map<string, RollupRow>();
    const minMinuteByService = new Map<string, number>();
    for (const r of ok) {
      const serviceId = services.get(r.service)!.id;
      const endpointId = endpointIds.get(`${serviceId} ${r.method} ${r.route}`)!;
      const regionId = regionIds.get(r.region)!;
      const minuteMs = Math.floor(r.tsMs / MINUTE_MS) * MINUTE_MS;
      const key = `${serviceId}|${endpointId}|${regionId}|${minuteMs}|${r.status}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          serviceId,
          endpointId,
          regionId,
          minuteMs,
          status: r.status,
          count: 0,
          latency: new Int32Array(LATENCY_BUCKETS),
        };
        rows.set(key, row);
      }
      row.count++;
      (row.latency as Int32Array)[latencyBucket(r.durationMs)]!++;
      const prev = minMinuteByService.get(serviceId);
      if (prev === undefined || minuteMs < prev) minMinuteByService.set(serviceId, minuteMs);
    }
    // Sorted keys: concurrent batches lock rows in the same order, so they never deadlock.
    await upsertRollups(
      db,
      [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v),
    );
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
  eps: { serviceId: string; method: string; route: string }[],
): Promise<Map<string, string>> {
  const uniq = new Map(eps.map((e) => [`${e.serviceId} ${e.method} ${e.route}`, e]));
  const list = [...uniq.values()];
  await db.endpoint.createMany({ data: list, skipDuplicates: true });
  const rows = await db.endpoint.findMany({
    where: { OR: list.map((e) => ({ serviceId: e.serviceId, method: e.method, route: e.route })) },
    select: { id: true, serviceId: true, method: true, route: true },
  });
  return new Map(rows.map((r) => [`${r.serviceId} ${r.method} ${r.route}`, r.id]));
}

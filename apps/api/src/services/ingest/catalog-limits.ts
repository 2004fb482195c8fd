import type { IngestLineError } from "@burnrate/contracts";
import { MAX_LISTED_ERRORS, type RecordFieldNames, type RequestBatch } from "@burnrate/ingest";
import type { SqlQuery } from "@burnrate/db";
import { epKey, lookupCatalog, pairKey, type BatchEndpoints, type Catalog, type Pair } from "./catalog";
import { cmp } from "./compare";

/** How many endpoints and regions traffic may give one service (registering endpoints is not capped). */
export interface IngestLimits {
  maxEndpointsPerService: number;
  maxRegionsPerService: number;
}
export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxEndpointsPerService: 500, maxRegionsPerService: 50 };

/**
 * Creates the missing endpoints, regions and (service, region) pairs of a batch, in its transaction, up to the
 * per-service limits, in order of first appearance; records whose endpoint or region is beyond a limit are
 * refused (named in the errors) and taken out of the batch (recEp = -1). Creation for a service is serialised
 * by an advisory lock (taken in id order), so concurrent batches cannot pass a limit together; every other
 * lock is taken in a fixed order too (regions by slug, endpoints by service, method, route).
 */
export async function createWithLimits(
  q: SqlQuery,
  m: BatchEndpoints,
  cat: Catalog,
  limits: IngestLimits,
  slugOfId: Map<string, string>,
  names: RecordFieldNames,
  b: RequestBatch,
): Promise<{ newFor: string[]; refused: number }> {
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

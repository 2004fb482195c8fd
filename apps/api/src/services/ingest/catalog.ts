import type { RequestBatch } from "@burnrate/ingest";
import type { SqlQuery } from "@burnrate/db";
import { IntPairMap } from "./int-pair-map";

/** An endpoint a batch uses: its service's id, method and route. */
export interface EndpointRef {
  serviceId: string;
  method: string;
  route: string;
}

/** A (service, region) pair a batch uses: the service's id and the region's slug. */
export interface Pair {
  serviceId: string;
  region: string;
}

/** `serviceId method route`: an endpoint's key in Catalog.endpointIds. */
export function epKey(e: EndpointRef): string {
  return `${e.serviceId} ${e.method} ${e.route}`;
}

/** `serviceId region`: a pair's key in Catalog.pairs. */
export function pairKey(p: Pair): string {
  return `${p.serviceId} ${p.region}`;
}

/**
 * The endpoints (service, method + route) of the accepted records and the (service, region) pairs, each in
 * order of first appearance, each record's index into them (-1 for a refused one), the regions they use and
 * their oldest minute.
 */
export function mapEndpoints(b: RequestBatch, svcId: (string | null)[]) {
  const sc = b.scanner;
  const bSvc = b.service;
  const bEp = b.endpoint;
  const bRegion = b.region;
  const bMinute = b.minute;
  const epOf = new IntPairMap();
  const pairOf = new IntPairMap();
  const eps: EndpointRef[] = [];
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

/** What mapEndpoints gives. */
export type BatchEndpoints = ReturnType<typeof mapEndpoints>;

export interface Catalog {
  /** Region slug → id. */
  regionIds: Map<string, string>;
  /** `serviceId method route` → endpoint id. */
  endpointIds: Map<string, string>;
  /** `serviceId region` of the pairs that exist. */
  pairs: Set<string>;
}

/** Which of the regions, endpoints and (service, region) pairs exist: one read-only statement. */
export async function lookupCatalog(
  q: SqlQuery,
  regionSlugs: string[],
  eps: EndpointRef[],
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

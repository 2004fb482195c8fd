import { MAX_LISTED_ERRORS, type RequestBatch } from "@burnrate/ingest";
import { sqlRows, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { canIngestTeam } from "../../auth/permissions";

/** The batch's services as the database and the caller's rights see them. */
export interface ServiceAccess {
  /** Per service of the batch (scanner index): its id, or null when it is refused. */
  svcId: (string | null)[];
  /** Service id → slug, of the services that exist. */
  slugOfId: Map<string, string>;
  /** Records of accepted services. */
  accepted: number;
}

/**
 * Which services of the batch may be ingested: those with at least one record are looked up once each;
 * every record of an unknown service, or of one this actor may not ingest for, is refused and named.
 */
export async function admitServices(
  db: Db,
  actor: Actor | null,
  b: RequestBatch,
  scope: "ingest" | "history:write" = "ingest",
): Promise<ServiceAccess> {
  const sc = b.scanner;
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
    return s && canIngestTeam(actor, s.teamId, scope) ? s.id : null;
  });
  const refusal = sc.services.map((slug) =>
    bySlug.has(slug)
      ? `service: this token may not ingest for '${slug}'`
      : `service: unknown service '${slug}'; register it first`,
  );
  return { svcId, slugOfId, accepted: refuseServices(b, svcId, refusal) };
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

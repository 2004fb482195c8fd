import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";

type EndpointRow = { id: string; method: string; route: string; createdAt: Date };

export const toEndpoint = (service: string, e: EndpointRow) => ({
  id: e.id,
  service,
  method: e.method,
  route: e.route,
  createdAt: e.createdAt.toISOString(),
});

/**
 * Records the creation or deletion of an endpoint in the audit log, under its service's team, as the API
 * shows it; returns that.
 */
export async function auditEndpoint(
  db: Db,
  actor: Actor | null,
  action: "create" | "delete",
  service: { slug: string; teamId: string },
  row: EndpointRow,
): Promise<ReturnType<typeof toEndpoint>> {
  const shown = toEndpoint(service.slug, row);
  const side = action === "create" ? { after: shown } : { before: shown };
  await recordAudit(db, {
    actor,
    action,
    entity: "endpoint",
    entityId: row.id,
    teamId: service.teamId,
    ...side,
  });
  return shown;
}

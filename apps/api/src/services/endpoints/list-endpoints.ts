import type { Db } from "@burnrate/db";
import { findService } from "../services/find-service";
import { toEndpoint } from "./endpoint-response";

export async function listEndpoints(deps: { db: Db; service: string }) {
  const s = await findService(deps.db, deps.service);
  const rows = await deps.db.endpoint.findMany({
    where: { serviceId: s.id },
    orderBy: [{ route: "asc" }, { method: "asc" }],
  });
  return rows.map((e) => toEndpoint(s.slug, e));
}

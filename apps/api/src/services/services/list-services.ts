import type { ServiceResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { SERVICE_INCLUDE, toServiceResponse } from "./service-response";

export async function listServices(deps: {
  db: Db;
  team?: string;
  limit?: number;
  offset?: number;
}): Promise<ServiceResponse[]> {
  const rows = await deps.db.service.findMany({
    where: deps.team ? { team: { slug: deps.team } } : {},
    include: SERVICE_INCLUDE,
    orderBy: { slug: "asc" },
    take: deps.limit ?? 100,
    skip: deps.offset ?? 0,
  });
  return rows.map(toServiceResponse);
}

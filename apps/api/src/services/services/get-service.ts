import type { ServiceResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { findServiceRow } from "./find-service";
import { toServiceResponse } from "./service-response";

export async function getService(deps: { db: Db; slug: string }): Promise<ServiceResponse> {
  return toServiceResponse(await findServiceRow(deps.db, deps.slug));
}

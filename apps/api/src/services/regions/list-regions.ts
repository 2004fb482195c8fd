import type { Db } from "@burnrate/db";
import { toRegion } from "./region-response";

export async function listRegions(deps: { db: Db }) {
  return (await deps.db.region.findMany({ orderBy: { slug: "asc" } })).map(toRegion);
}

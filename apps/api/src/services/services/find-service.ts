import { NotFoundError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { SERVICE_INCLUDE } from "./service-response";

/** The service with this slug, or a 404. */
export async function findService(db: Db, slug: string) {
  const s = await db.service.findUnique({ where: { slug } });
  if (!s) throw new NotFoundError("service", slug);
  return s;
}

/** The service with this slug with what its answer needs (team, endpoints), or a 404. */
export async function findServiceRow(db: Db, slug: string) {
  const s = await db.service.findUnique({ where: { slug }, include: SERVICE_INCLUDE });
  if (!s) throw new NotFoundError("service", slug);
  return s;
}

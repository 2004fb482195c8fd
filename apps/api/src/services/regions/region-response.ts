import { NotFoundError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";

export const toRegion = (r: { slug: string; name: string; production: boolean }) => ({
  slug: r.slug,
  name: r.name,
  production: r.production,
});

/** The region with this slug, or a 404. */
export async function findRegion(db: Db, slug: string) {
  const r = await db.region.findUnique({ where: { slug } });
  if (!r) throw new NotFoundError("region", slug);
  return r;
}

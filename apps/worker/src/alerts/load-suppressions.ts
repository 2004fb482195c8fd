import type { Db } from "@burnrate/db";
import type { SuppressionSources } from "./suppression";

/** Everything that may hold back alerts of the given services at `nowMs` (two small reads for a whole shard). */
export async function loadSuppressions(
  db: Db,
  nowMs: number,
  serviceIds: string[],
): Promise<SuppressionSources> {
  const now = new Date(nowMs);
  const [silences, maintenance, regions] = await Promise.all([
    db.silence.findMany({
      where: { startsAt: { lte: now }, endsAt: { gt: now } },
      select: { id: true, endsAt: true, teamId: true, serviceId: true, sloId: true, regionKey: true },
    }),
    db.deployment.findMany({
      where: { serviceId: { in: serviceIds }, kind: "maintenance", at: { lte: now }, endsAt: { gt: now } },
      select: { id: true, serviceId: true, regionId: true, endsAt: true },
    }),
    db.region.findMany({ select: { id: true, slug: true } }),
  ]);
  return { silences, maintenance, regionIds: new Map(regions.map((r) => [r.slug, r.id])) };
}

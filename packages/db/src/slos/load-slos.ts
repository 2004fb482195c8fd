import type { Db } from "../client";
import type { Prisma } from "../generated/prisma/client";
import { LoadedSlo } from "./loaded-slo";
import { SLO_INCLUDE } from "./slo-row";

/** One SLO by id, or null when there is none. */
export async function loadSlo(db: Db, id: string): Promise<LoadedSlo | null> {
  const row = await db.slo.findUnique({ where: { id }, include: SLO_INCLUDE });
  return row ? new LoadedSlo(row) : null;
}

/** The SLOs among `ids` that exist (in no particular order), in one query. */
export async function loadSlos(db: Db, ids: string[]): Promise<LoadedSlo[]> {
  return findSlos(db, { where: { id: { in: ids } } });
}

/** Every SLO of a service (explicit and default ones). */
export async function loadServiceSlos(db: Db, serviceId: string): Promise<LoadedSlo[]> {
  return findSlos(db, { where: { serviceId } });
}

/** Every SLO of the services of a team (explicit and default ones). */
export async function loadTeamSlos(db: Db, teamId: string): Promise<LoadedSlo[]> {
  return findSlos(db, { where: { service: { teamId } } });
}

/** The SLOs a filtered, ordered, paged list shows (the API's lists, reports, OpenSLO import and export). */
export async function findSlos(
  db: Db,
  query: Pick<Prisma.SloFindManyArgs, "where" | "orderBy" | "take" | "skip">,
): Promise<LoadedSlo[]> {
  const rows = await db.slo.findMany({ ...query, include: SLO_INCLUDE });
  return rows.map((row) => new LoadedSlo(row));
}

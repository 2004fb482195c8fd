import { NotFoundError } from "@burnrate/contracts";
import { z } from "zod";

/** Teams, services and regions are named by slug in paths. */
export const SlugParams = z.object({ slug: z.string().max(64) });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id that is not a UUID names nothing: 404, like any unknown id. */
export const IdParams = z.object({ id: z.string() });
export function checkId(entity: string, id: string): string {
  if (!UUID.test(id)) throw new NotFoundError(entity, id);
  return id;
}

/** The response of a route that answers 204 without a body. */
export const NoContent = { 204: z.null() };

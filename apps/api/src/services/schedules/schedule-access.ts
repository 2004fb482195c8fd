import { ForbiddenError, UnauthorizedError } from "@burnrate/contracts";
import type { Actor } from "../../auth/actor";
import { assertCanWriteOwner } from "../../auth/permissions";

/**
 * Changing a schedule needs write access to every team it covers (a domain covers several); a regional
 * schedule covers every team's services in that region, so it is for org admins.
 */
export function assertCanWriteSchedule(actor: Actor | null, teamIds: string[]): void {
  if (teamIds.length === 0)
    assertCanWriteOwner(actor, null, "only org admins change a region's schedule: it covers every team");
  for (const id of teamIds) assertCanWriteOwner(actor, id, "");
}

/** A person acts for themselves (request or accept a swap); anyone who may change the schedule acts for anyone. */
export function assertCanActFor(actor: Actor | null, userId: string, teamIds: string[]): void {
  if (!actor) throw new UnauthorizedError();
  if (actor.kind === "user" && actor.id === userId) return;
  try {
    assertCanWriteSchedule(actor, teamIds);
  } catch (e) {
    if (e instanceof ForbiddenError)
      throw new ForbiddenError("only the person themselves or an editor of the schedule's team can do this");
    throw e;
  }
}

/** The signed-in person, when a request names nobody. */
export function actorUserId(actor: Actor | null, field: string): string {
  if (actor?.kind === "user") return actor.id;
  throw new ForbiddenError(`an API token acts for nobody: give '${field}' (an email)`);
}

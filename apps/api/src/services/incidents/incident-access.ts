import { ForbiddenError } from "@burnrate/contracts";
import type { Actor } from "../../auth/actor";
import { assertCanWriteOwner, assertCanWriteTeam } from "../../auth/permissions";

const ORG_WIDE = "only org admins can run an incident that names no team's service or alert";

/** Opening an incident for services or alerts takes write access to every team that owns them. */
export function assertCanOpenIncident(actor: Actor | null, teamIds: string[]): void {
  if (teamIds.length === 0) assertCanWriteOwner(actor, null, ORG_WIDE);
  for (const t of teamIds) assertCanWriteTeam(actor, t);
}

/** Updating an incident takes write access to any one of the teams it touches (responders come from any). */
export function assertCanUpdateIncident(actor: Actor | null, teamIds: string[]): void {
  if (teamIds.length === 0) return assertCanWriteOwner(actor, null, ORG_WIDE);
  let refusal: unknown = null;
  for (const t of teamIds) {
    try {
      assertCanWriteTeam(actor, t);
      return;
    } catch (err) {
      refusal = err;
    }
  }
  throw refusal ?? new ForbiddenError("only editors of an affected team or org admins can update this");
}

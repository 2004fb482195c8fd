/** Who may do what an import plans: org admins create teams, team editors change their team's objects. */
import type { Actor } from "../../../auth/actor";
import { assertCanWriteTeam } from "../../../auth/permissions";

export { isAdmin } from "../../../auth/permissions";

export function authorised(actor: Actor | null, teamId: string): boolean {
  try {
    assertCanWriteTeam(actor, teamId);
    return true;
  } catch {
    return false;
  }
}

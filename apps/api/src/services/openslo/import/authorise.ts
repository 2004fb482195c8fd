/** Who may do what an import plans: org admins create teams, team editors change their team's objects. */
import { assertCanWriteTeam, type Actor } from "../../../plugins/auth";

export const isAdmin = (a: Actor | null) => !!a && (a.kind === "user" ? a.isAdmin : a.scopes.has("admin"));

export function authorised(actor: Actor | null, teamId: string): boolean {
  try {
    assertCanWriteTeam(actor, teamId);
    return true;
  } catch {
    return false;
  }
}

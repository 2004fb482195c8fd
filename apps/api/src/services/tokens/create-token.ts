import { ValidationError, type CreateTokenBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import type { Actor } from "../../auth/actor";
import { assertCanCreateToken } from "../../auth/permissions";
import { newSecret, sha256 } from "../../auth/secrets";
import { auditToken } from "./token-response";

/**
 * Creates an API token; the secret is returned once and only its SHA-256 is stored. Admin-scope and global
 * tokens need an org admin; a team editor may create tokens bound to their team without the admin scope.
 */
export async function createToken(deps: {
  db: Db;
  actor: Actor | null;
  input: z.infer<typeof CreateTokenBody>;
}) {
  const { db, actor, input } = deps;
  let teamId: string | null = null;
  if (input.team) {
    const team = await db.team.findUnique({ where: { slug: input.team } });
    if (!team)
      throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
    teamId = team.id;
  }
  assertCanCreateToken(actor, { scopes: input.scopes, teamId });
  const secret = newSecret("brt");
  const row = await db.apiToken.create({
    data: {
      name: input.name,
      tokenHash: sha256(secret),
      prefix: secret.slice(0, 8),
      scopes: [...new Set(input.scopes)],
      teamId,
      userId: actor?.kind === "user" ? actor.id : null,
    },
    include: { team: true },
  });
  return { ...(await auditToken(db, actor, "create", { after: row })), token: secret };
}

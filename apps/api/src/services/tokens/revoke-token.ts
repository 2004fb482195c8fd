import { NotFoundError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanRevokeToken } from "../../auth/permissions";
import { auditToken } from "./token-response";

/** Revokes a token (at once, for good); revoking it again changes nothing. */
export async function revokeToken(deps: { db: Db; actor: Actor | null; id: string }) {
  const { db, actor } = deps;
  const t = await db.apiToken.findUnique({ where: { id: deps.id }, include: { team: true } });
  if (!t) throw new NotFoundError("token", deps.id);
  assertCanRevokeToken(actor, t);
  const u = await db.apiToken.update({
    where: { id: t.id },
    data: { revokedAt: t.revokedAt ?? new Date() },
    include: { team: true },
  });
  return auditToken(db, actor, "revoke", { before: t, after: u });
}

import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  teamId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  team: { slug: string } | null;
};

/** A token as listed: never its secret (only its first characters, to recognise it). */
export const toToken = (t: TokenRow) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  team: t.team?.slug ?? null,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Records a change to a token in the audit log, under its team, each side as listed; returns the token after. */
export async function auditToken(
  db: Db,
  actor: Actor | null,
  action: "create" | "revoke",
  rows: { before?: TokenRow; after: TokenRow },
): Promise<ReturnType<typeof toToken>> {
  const after = toToken(rows.after);
  const before = rows.before && toToken(rows.before);
  await recordAudit(db, {
    actor,
    action,
    entity: "token",
    entityId: rows.after.id,
    teamId: rows.after.teamId,
    before,
    after,
  });
  return after;
}

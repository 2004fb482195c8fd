import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { isAdmin } from "../../auth/permissions";
import { toToken } from "./token-response";

/** Org admins see every token; a user sees the tokens they created, and a token sees itself. */
export async function listTokens(deps: { db: Db; actor: Actor | null }) {
  const { db, actor } = deps;
  const all = isAdmin(actor);
  const rows = await db.apiToken.findMany({
    where: all ? {} : actor?.kind === "user" ? { userId: actor.id } : { id: actor?.id ?? "" },
    include: { team: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toToken);
}

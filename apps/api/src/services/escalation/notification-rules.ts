import {
  ForbiddenError,
  type NotificationChannel,
  type NotificationRulesResponse,
  type PutNotificationRulesBody,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";

/** Rules are a person's own: a token has no person to reach. */
function personOf(actor: Actor | null): string {
  if (actor?.kind !== "user")
    throw new ForbiddenError("notification rules are a signed-in person's own, not a token's");
  return actor.id;
}

export async function getNotificationRules(deps: {
  db: Db;
  actor: Actor | null;
}): Promise<NotificationRulesResponse> {
  const rows = await deps.db.notificationRule.findMany({
    where: { userId: personOf(deps.actor) },
    orderBy: { channel: "asc" },
  });
  return {
    rules: rows.map((r) => ({
      channel: r.channel as NotificationChannel,
      severities: r.severities as ("page" | "ticket")[],
    })),
    defaults: rows.length === 0,
  };
}

/** Replaces the person's rules (an empty list goes back to the defaults: every channel for every severity). */
export async function putNotificationRules(deps: {
  db: Db;
  actor: Actor | null;
  input: PutNotificationRulesBody;
}): Promise<NotificationRulesResponse> {
  const userId = personOf(deps.actor);
  await deps.db.$transaction([
    deps.db.notificationRule.deleteMany({ where: { userId } }),
    deps.db.notificationRule.createMany({
      data: deps.input.rules.map((r) => ({
        userId,
        channel: r.channel,
        severities: [...new Set(r.severities)],
      })),
    }),
  ]);
  return getNotificationRules(deps);
}

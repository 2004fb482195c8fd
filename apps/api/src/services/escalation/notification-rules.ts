import {
  ForbiddenError,
  type NotificationChannel,
  type NotificationRulesResponse,
  type PutNotificationRulesBody,
  type RuleHours,
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
      hours:
        r.activeHours && r.timeZone
          ? { windows: r.activeHours as RuleHours["windows"], timeZone: r.timeZone }
          : null,
    })),
    defaults: rows.length === 0,
  };
}

/**
 * Replaces the person's rules (an empty list goes back to the defaults: every channel for every severity). A
 * rule with `hours` applies only inside its weekly windows.
 */
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
        activeHours: r.hours ? r.hours.windows : undefined,
        timeZone: r.hours?.timeZone ?? null,
      })),
    }),
  ]);
  return getNotificationRules(deps);
}

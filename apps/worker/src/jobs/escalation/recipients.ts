import type { EscalationTarget, OncallPosition } from "@burnrate/contracts";
import { loadScheduleRow, routeOncall, scheduleModel, type Db } from "@burnrate/db";
import { holdersAt } from "@burnrate/slo-core";
import type { ChannelRule, RuleHours } from "./channels-for";

/** A person a step notifies, with the rules by which they want to be reached. */
export interface Recipient {
  userId: string;
  email: string;
  name: string;
  rules: ChannelRule[];
}

/** Where the alert is: its team and region (routing's inputs). */
export interface AlertPlace {
  teamId: string;
  regionKey: string | null;
}

async function withRules(db: Db, userIds: string[]): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(userIds)] } },
    include: { notificationRules: true },
    orderBy: { email: "asc" },
  });
  return users.map((u) => ({
    userId: u.id,
    email: u.email,
    name: u.name,
    rules: u.notificationRules.map((r) => ({
      channel: r.channel,
      severities: r.severities,
      hours:
        r.activeHours && r.timeZone
          ? { windows: r.activeHours as RuleHours["windows"], timeZone: r.timeZone }
          : null,
    })),
  }));
}

async function holderOf(db: Db, scheduleId: string, position: OncallPosition, atMs: number) {
  const row = await loadScheduleRow(db, scheduleId).catch(() => null);
  if (!row) return [];
  const { model } = await scheduleModel(db, row, atMs);
  const h = holdersAt(model, atMs)[position];
  return h ? [h.member] : [];
}

/**
 * The people a step's target names at `atMs` (the step's due time): the holder of a schedule's position, the
 * holder on the schedule routing picks for the alert then (the team's in its hours, else the region's), a
 * user, every member of a team, or every member of a user group. None when nobody holds the position or the target is gone.
 */
export async function recipientsOf(
  db: Db,
  target: EscalationTarget,
  place: AlertPlace,
  atMs: number,
): Promise<Recipient[]> {
  if ("schedule" in target) return withRules(db, await holderOf(db, target.schedule, target.position, atMs));
  if ("routed" in target) {
    const routed = await routeOncall(db, { teamId: place.teamId, regionKey: place.regionKey, atMs });
    const h = routed?.holders[target.routed];
    return withRules(db, h ? [h.member] : []);
  }
  if ("user" in target) {
    const u = await db.user.findFirst({ where: { email: { equals: target.user, mode: "insensitive" } } });
    return withRules(db, u ? [u.id] : []);
  }
  if ("group" in target) {
    const members = await db.userGroupMember.findMany({ where: { groupId: target.group } });
    return withRules(
      db,
      members.map((m) => m.userId),
    );
  }
  const team = await db.team.findUnique({ where: { slug: target.team }, include: { members: true } });
  return withRules(db, team?.members.map((m) => m.userId) ?? []);
}

import {
  NotFoundError,
  ValidationError,
  type EscalationPolicyResponse,
  type EscalationStepBody,
  type EscalationTarget,
  type TicketMode,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";

const POSITION_LABEL = { main: "Main", backup: "Backup", backup2: "Backup 2" } as const;

export const policyInclude = {
  team: true,
  steps: { orderBy: { ord: "asc" as const } },
  slos: { select: { id: true, name: true }, orderBy: { name: "asc" as const } },
  teams: { select: { id: true } },
} as const;

export async function loadPolicyRow(db: Db, id: string) {
  const row = await db.escalationPolicy.findUnique({ where: { id }, include: policyInclude });
  if (!row) throw new NotFoundError("escalation policy", id);
  return row;
}
export type PolicyRow = Awaited<ReturnType<typeof loadPolicyRow>>;

/**
 * Checks that every step's target exists (a schedule, a user, a team, a user group) and names it for people: an unknown one
 * is a 422 naming the step's field. Returns the labels in step order.
 */
export async function labelTargets(db: Db, steps: EscalationStepBody[], strict: boolean): Promise<string[]> {
  return Promise.all(
    steps.map(async (s, i) => {
      const field = `steps.${i}.target`;
      const missing = (what: string) => {
        if (strict) throw new ValidationError(`body field '${field}': ${what}`, { field });
        return `(${what})`;
      };
      const t: EscalationTarget = s.target;
      if ("schedule" in t) {
        const sch = await db.schedule.findUnique({ where: { id: t.schedule } });
        if (!sch) return missing(`no schedule '${t.schedule}'`);
        if (!sch.positions.includes(t.position))
          return missing(`schedule '${sch.name}' has no position '${t.position}'`);
        return `${POSITION_LABEL[t.position]} of ${sch.name}`;
      }
      if ("routed" in t) return `${POSITION_LABEL[t.routed]} on call (team in hours, region out of hours)`;
      if ("user" in t) {
        const u = await db.user.findFirst({ where: { email: { equals: t.user, mode: "insensitive" } } });
        return u ? u.name : missing(`no user with email '${t.user}'`);
      }
      if ("group" in t) {
        const g = await db.userGroup.findUnique({ where: { id: t.group } });
        return g ? `Group ${g.name}` : missing(`no user group '${t.group}'`);
      }
      const team = await db.team.findUnique({ where: { slug: t.team } });
      return team ? `Team ${team.name}` : missing(`no team '${t.team}'`);
    }),
  );
}

export async function policyResponse(db: Db, row: PolicyRow): Promise<EscalationPolicyResponse> {
  const steps = row.steps.map((s) => ({
    target: s.target as EscalationTarget,
    ackTimeoutSeconds: s.ackTimeoutSeconds,
  }));
  const labels = await labelTargets(db, steps, false);
  return {
    id: row.id,
    name: row.name,
    team: row.team.slug,
    repeat: row.repeat,
    ticket: row.ticket as TicketMode,
    teamDefault: row.teams.some((t) => t.id === row.teamId),
    steps: steps.map((s, i) => ({ ...s, label: labels[i]! })),
    slos: row.slos,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

import { ValidationError, type SsoGroupRole, type SsoGroupRolesResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertAdmin } from "../../auth/permissions";
import type { OidcGroupRole } from "../../config";
import { recordAudit } from "../audit";

const ORG = "org";

/** The config's form of a mapping line, as the API shows it. */
function toLine(m: OidcGroupRole): SsoGroupRole {
  return "admin" in m
    ? { group: m.group, role: "admin", team: null }
    : { group: m.group, role: m.role, team: m.team };
}

function fromLine(l: SsoGroupRole): OidcGroupRole {
  return l.role === "admin"
    ? { group: l.group, admin: true }
    : { group: l.group, team: l.team!, role: l.role };
}

/** A stored mapping (checked when saved); a row that does not read as one counts as none. */
function stored(json: unknown): SsoGroupRole[] | null {
  if (!Array.isArray(json)) return null;
  return json.filter(
    (l): l is SsoGroupRole =>
      typeof l === "object" && l !== null && typeof (l as SsoGroupRole).group === "string",
  );
}

/**
 * The group mapping sign-ins use: the organisation's setting when one is saved, else the environment's
 * (OIDC_GROUP_ROLES).
 */
export async function effectiveGroupRoles(db: Db, environment: OidcGroupRole[]): Promise<OidcGroupRole[]> {
  const row = await db.ssoSetting.findUnique({ where: { id: ORG } });
  const lines = row ? stored(row.groupRoles) : null;
  return lines ? lines.map(fromLine) : environment;
}

export async function ssoGroupRoles(deps: {
  db: Db;
  actor: Actor | null;
  environment: OidcGroupRole[];
}): Promise<SsoGroupRolesResponse> {
  assertAdmin(deps.actor, "see the single sign-on group mapping");
  const row = await deps.db.ssoSetting.findUnique({ where: { id: ORG } });
  const lines = row ? stored(row.groupRoles) : null;
  const environment = deps.environment.map(toLine);
  return {
    source: lines ? "setting" : "environment",
    groupRoles: lines ?? environment,
    environment,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/**
 * Saves the organisation's group mapping (org admins), or with null removes it so the environment's applies
 * again. Each editor or viewer line names a team that exists; an admin line names none. It applies from the
 * next sign-in of each user (roles are set at sign-in).
 */
export async function setSsoGroupRoles(deps: {
  db: Db;
  actor: Actor | null;
  environment: OidcGroupRole[];
  groupRoles: SsoGroupRole[] | null;
}): Promise<SsoGroupRolesResponse> {
  assertAdmin(deps.actor, "change the single sign-on group mapping");
  if (deps.groupRoles === null) {
    await deps.db.ssoSetting.deleteMany({ where: { id: ORG } });
  } else {
    const lines: SsoGroupRole[] = [];
    const slugs = new Set((await deps.db.team.findMany({ select: { slug: true } })).map((t) => t.slug));
    for (const [i, l] of deps.groupRoles.entries()) {
      const field = `groupRoles[${i}].team`;
      const team = l.team?.trim() || null;
      if (l.role === "admin") {
        if (team) throw new ValidationError(`body field '${field}': an admin line names no team`, { field });
        lines.push({ group: l.group, role: "admin", team: null });
        continue;
      }
      if (!team)
        throw new ValidationError(`body field '${field}': an ${l.role} line names its team`, { field });
      if (!slugs.has(team)) throw new ValidationError(`body field '${field}': no team '${team}'`, { field });
      lines.push({ group: l.group, role: l.role, team });
    }
    await deps.db.ssoSetting.upsert({
      where: { id: ORG },
      create: { id: ORG, groupRoles: lines, updatedBy: actorLabel(deps.actor) },
      update: { groupRoles: lines, updatedBy: actorLabel(deps.actor) },
    });
  }
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "sso_setting",
    entityId: ORG,
    after: { groupRoles: deps.groupRoles },
  });
  return ssoGroupRoles(deps);
}

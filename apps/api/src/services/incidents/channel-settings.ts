import {
  NotFoundError,
  type ChannelSeverity,
  type IncidentChannelSettingsResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertAdmin, assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";

/** The organisation's choice; a team without its own follows it. Nothing chosen: no incident gets a channel. */
const ORG_SCOPE = "org";

const ORDER: ChannelSeverity[] = ["critical", "error", "warning", "unset"];
const normal = (v: string[]) => ORDER.filter((s) => v.includes(s));

export async function incidentChannelSettings(db: Db): Promise<IncidentChannelSettingsResponse> {
  const rows = await db.incidentChannelSetting.findMany();
  const teams = await db.team.findMany({
    where: { id: { in: rows.filter((r) => r.scope !== ORG_SCOPE).map((r) => r.scope) } },
    select: { id: true, slug: true },
    orderBy: { slug: "asc" },
  });
  return {
    org: { severities: normal(rows.find((r) => r.scope === ORG_SCOPE)?.severities ?? []) },
    teams: teams.map((t) => ({
      team: t.slug,
      severities: normal(rows.find((r) => r.scope === t.id)!.severities),
    })),
  };
}

/** Sets the organisation's severities (org admins only). */
export async function setOrgIncidentChannels(deps: {
  db: Db;
  actor: Actor | null;
  severities: ChannelSeverity[];
}): Promise<IncidentChannelSettingsResponse> {
  assertAdmin(deps.actor, "choose which incidents get a Slack channel for the whole organisation");
  const severities = normal(deps.severities);
  await deps.db.incidentChannelSetting.upsert({
    where: { scope: ORG_SCOPE },
    create: { scope: ORG_SCOPE, severities, updatedBy: actorLabel(deps.actor) },
    update: { severities, updatedBy: actorLabel(deps.actor) },
  });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "incident_channel_setting",
    entityId: ORG_SCOPE,
    after: { severities },
  });
  return incidentChannelSettings(deps.db);
}

/** Sets a team's own severities, or (null) lets it follow the organisation's. */
export async function setTeamIncidentChannels(deps: {
  db: Db;
  actor: Actor | null;
  team: string;
  severities: ChannelSeverity[] | null;
}): Promise<IncidentChannelSettingsResponse> {
  const team = await deps.db.team.findUnique({ where: { slug: deps.team } });
  if (!team) throw new NotFoundError("team", deps.team);
  assertCanWriteTeam(deps.actor, team.id);
  if (deps.severities === null)
    await deps.db.incidentChannelSetting.deleteMany({ where: { scope: team.id } });
  else {
    const severities = normal(deps.severities);
    await deps.db.incidentChannelSetting.upsert({
      where: { scope: team.id },
      create: { scope: team.id, severities, updatedBy: actorLabel(deps.actor) },
      update: { severities, updatedBy: actorLabel(deps.actor) },
    });
  }
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "incident_channel_setting",
    entityId: team.id,
    teamId: team.id,
    after: { severities: deps.severities },
  });
  return incidentChannelSettings(deps.db);
}

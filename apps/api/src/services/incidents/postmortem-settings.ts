import {
  IncidentPriorityLevel,
  POSTMORTEM_DUE_DAYS,
  POSTMORTEM_REQUIRED_PRIORITIES,
  type PostmortemSettings,
  type PostmortemSettingsResponse,
} from "@burnrate/contracts";
import type { Db, Prisma } from "@burnrate/db";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertAdmin } from "../../auth/permissions";
import { recordAudit } from "../audit";

/** The one row of the organisation's choice. */
const ORG = "org";
const ORDER = IncidentPriorityLevel.options;

/** The priorities whose incidents require a postmortem: the organisation's choice, or the default (P1). */
export async function postmortemPriorities(db: Db | Prisma.TransactionClient): Promise<string[]> {
  const row = await db.postmortemSetting.findUnique({ where: { id: ORG } });
  return row ? row.priorities : [...POSTMORTEM_REQUIRED_PRIORITIES];
}

/** Days after resolution a postmortem is due: the organisation's choice, or the default (3). */
export async function postmortemDueDays(db: Db | Prisma.TransactionClient): Promise<number> {
  const row = await db.postmortemSetting.findUnique({ where: { id: ORG } });
  return row ? row.dueDays : POSTMORTEM_DUE_DAYS;
}

export async function getPostmortemSettings(db: Db): Promise<PostmortemSettingsResponse> {
  const row = await db.postmortemSetting.findUnique({ where: { id: ORG } });
  return {
    requiredPriorities: (row
      ? row.priorities
      : [...POSTMORTEM_REQUIRED_PRIORITIES]) as PostmortemSettings["requiredPriorities"],
    dueDays: row ? row.dueDays : POSTMORTEM_DUE_DAYS,
  };
}

/** Sets the priorities that require a postmortem (org admins only); incidents resolved from now on follow it. */
export async function setPostmortemSettings(deps: {
  db: Db;
  actor: Actor | null;
  input: PostmortemSettings;
}): Promise<PostmortemSettingsResponse> {
  assertAdmin(deps.actor, "choose which incident priorities require a postmortem");
  const before = await getPostmortemSettings(deps.db);
  const priorities = ORDER.filter((p) => deps.input.requiredPriorities.includes(p));
  const dueDays = deps.input.dueDays ?? before.dueDays;
  await deps.db.postmortemSetting.upsert({
    where: { id: ORG },
    create: { id: ORG, priorities, dueDays, updatedBy: actorLabel(deps.actor) },
    update: { priorities, dueDays, updatedBy: actorLabel(deps.actor) },
  });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "postmortem_setting",
    entityId: ORG,
    before,
    after: { requiredPriorities: priorities, dueDays },
  });
  return { requiredPriorities: priorities, dueDays };
}

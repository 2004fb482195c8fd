import {
  IncidentPriorityLevel,
  POSTMORTEM_REQUIRED_PRIORITIES,
  type PostmortemSettings,
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

export async function getPostmortemSettings(db: Db): Promise<PostmortemSettings> {
  return { requiredPriorities: (await postmortemPriorities(db)) as PostmortemSettings["requiredPriorities"] };
}

/** Sets the priorities that require a postmortem (org admins only); incidents resolved from now on follow it. */
export async function setPostmortemSettings(deps: {
  db: Db;
  actor: Actor | null;
  input: PostmortemSettings;
}): Promise<PostmortemSettings> {
  assertAdmin(deps.actor, "choose which incident priorities require a postmortem");
  const before = await getPostmortemSettings(deps.db);
  const priorities = ORDER.filter((p) => deps.input.requiredPriorities.includes(p));
  await deps.db.postmortemSetting.upsert({
    where: { id: ORG },
    create: { id: ORG, priorities, updatedBy: actorLabel(deps.actor) },
    update: { priorities, updatedBy: actorLabel(deps.actor) },
  });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "postmortem_setting",
    entityId: ORG,
    before,
    after: { requiredPriorities: priorities },
  });
  return { requiredPriorities: priorities };
}

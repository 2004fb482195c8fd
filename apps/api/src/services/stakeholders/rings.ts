import {
  ConflictError,
  NotFoundError,
  type CreateStakeholderRingBody,
  type PatchStakeholderRingBody,
  type StakeholderRingResponse,
} from "@burnrate/contracts";
import { isUniqueViolation, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertAdmin } from "../../auth/permissions";
import { recordAudit } from "../audit";

type RingRow = Awaited<ReturnType<Db["stakeholderRing"]["findFirstOrThrow"]>>;

export const toRingResponse = (r: RingRow): StakeholderRingResponse => ({
  id: r.id,
  number: r.number,
  name: r.name,
  groups: r.groups,
  slackChannels: r.slackChannels,
  emails: r.emails,
  escalateAfterMinutes: r.escalateAfterMinutes,
  agreedBy: r.agreedBy,
});

/** Rings reach people outside the teams (leadership, sales, customers): org admins set them up. */
export async function createRing(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateStakeholderRingBody;
}): Promise<StakeholderRingResponse> {
  assertAdmin(deps.actor, "set up stakeholder rings");
  const { input } = deps;
  try {
    const row = await deps.db.stakeholderRing.create({
      data: {
        number: input.number,
        name: input.name,
        groups: input.groups,
        slackChannels: input.slackChannels.map((c) => c.replace(/^#/, "")),
        emails: input.emails.map((e) => e.toLowerCase()),
        escalateAfterMinutes: input.escalateAfterMinutes,
        agreedBy: input.agreedBy,
      },
    });
    const out = toRingResponse(row);
    await recordAudit(deps.db, {
      actor: deps.actor,
      action: "create",
      entity: "stakeholder_ring",
      entityId: row.id,
      after: out,
    });
    return out;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`body field 'number': ring ${input.number} already exists`, {
        field: "number",
      });
    throw err;
  }
}

export async function listRings(deps: { db: Db }): Promise<StakeholderRingResponse[]> {
  const rows = await deps.db.stakeholderRing.findMany({ orderBy: { number: "asc" } });
  return rows.map(toRingResponse);
}

/** Edits a ring: its order, recipients, escalation rule or the departments that agreed. */
export async function patchRing(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: PatchStakeholderRingBody;
}): Promise<StakeholderRingResponse> {
  assertAdmin(deps.actor, "set up stakeholder rings");
  const { input } = deps;
  const current = await deps.db.stakeholderRing.findUnique({ where: { id: deps.id } });
  if (!current) throw new NotFoundError("stakeholder ring", deps.id);
  try {
    const row = await deps.db.stakeholderRing.update({
      where: { id: deps.id },
      data: {
        ...(input.number !== undefined ? { number: input.number } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.groups !== undefined ? { groups: input.groups } : {}),
        ...(input.slackChannels !== undefined
          ? { slackChannels: input.slackChannels.map((c) => c.replace(/^#/, "")) }
          : {}),
        ...(input.emails !== undefined ? { emails: input.emails.map((e) => e.toLowerCase()) } : {}),
        ...(input.escalateAfterMinutes !== undefined
          ? { escalateAfterMinutes: input.escalateAfterMinutes }
          : {}),
        ...(input.agreedBy !== undefined ? { agreedBy: input.agreedBy } : {}),
      },
    });
    const out = toRingResponse(row);
    await recordAudit(deps.db, {
      actor: deps.actor,
      action: "update",
      entity: "stakeholder_ring",
      entityId: row.id,
      before: toRingResponse(current),
      after: out,
    });
    return out;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`body field 'number': ring ${input.number} already exists`, {
        field: "number",
      });
    throw err;
  }
}

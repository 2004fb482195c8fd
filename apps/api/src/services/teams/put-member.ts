import { ValidationError, type PutMemberBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findTeam } from "./find-team";

/** Adds an existing user to the team, or changes their role in it. */
export async function putMember(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PutMemberBody>;
}) {
  const { db, actor, input } = deps;
  const team = await findTeam(db, deps.slug);
  assertCanWriteTeam(actor, team.id);
  const user = await db.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!user)
    throw new ValidationError(`body field 'email': no user '${input.email}'; an admin creates users first`, {
      field: "email",
    });
  await db.teamMember.upsert({
    where: { teamId_userId: { teamId: team.id, userId: user.id } },
    create: { teamId: team.id, userId: user.id, role: input.role },
    update: { role: input.role },
  });
  await recordAudit(db, {
    actor,
    action: "put_member",
    entity: "team",
    entityId: team.id,
    teamId: team.id,
    after: { email: user.email, role: input.role },
  });
  return { email: user.email, name: user.name, role: input.role };
}

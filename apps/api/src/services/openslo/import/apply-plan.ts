/**
 * Writes an authorised plan: teams, then services, then SLOs. Teams and services are written with an audit
 * entry; SLOs through the SLO use cases, so each change makes a version with the reason and an audit entry.
 */
import type { Db } from "@burnrate/db";
import type { Actor } from "../../../auth/actor";
import type { Enqueue } from "@burnrate/jobs";
import { recordAudit } from "../../audit";
import { createSlo, patchSlo } from "../../slos";
import type { ParsedOpenSlo } from "../parse";
import type { ServiceRow, SloPlan, TeamPlan } from "./plan-context";
import type { PlannedChange } from "./types";

export async function applyPlan(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  reason: string;
  parsed: ParsedOpenSlo;
  svcRows: Map<string, ServiceRow>;
  teams: Map<string, TeamPlan>;
  changes: PlannedChange[];
  sloPlans: SloPlan[];
}): Promise<void> {
  const { db, actor, parsed, svcRows, teams, changes, reason } = deps;
  for (const c of changes.filter((x) => x.kind === "team" && x.action !== "unchanged")) {
    const t = teams.get(c.name)!;
    if (c.action === "create") {
      const row = await db.team.create({
        data: { slug: t.slug, name: t.slug, slackChannel: t.wantChannel ?? null },
      });
      t.id = row.id;
      await recordAudit(db, {
        actor,
        action: "create",
        entity: "team",
        entityId: row.id,
        teamId: row.id,
        after: row,
      });
    } else {
      const before = await db.team.findUniqueOrThrow({ where: { id: t.id! } });
      const row = await db.team.update({
        where: { id: t.id! },
        data: { slackChannel: t.wantChannel ?? null },
      });
      await recordAudit(db, {
        actor,
        action: "update",
        entity: "team",
        entityId: row.id,
        teamId: row.id,
        before,
        after: row,
      });
    }
  }
  for (const s of parsed.services) {
    const c = changes.find((x) => x.kind === "service" && x.name === s.slug);
    if (!c || c.action === "unchanged") continue;
    const teamSlug = s.team ?? svcRows.get(s.slug)!.team.slug;
    const teamId =
      teams.get(teamSlug)?.id ?? (await db.team.findUniqueOrThrow({ where: { slug: teamSlug } })).id;
    const data = {
      name: s.name,
      teamId,
      description: s.description,
      runbookUrl: s.runbookUrl,
      tier: s.tier,
      failureStatuses: s.failureStatuses,
    };
    const before = svcRows.get(s.slug) ?? null;
    const row = before
      ? await db.service.update({ where: { id: before.id }, data })
      : await db.service.create({ data: { slug: s.slug, ...data } });
    await recordAudit(db, {
      actor,
      action: before ? "update" : "create",
      entity: "service",
      entityId: row.id,
      teamId,
      ...(before ? { before } : {}),
      after: row,
    });
  }
  for (const p of deps.sloPlans) {
    if (!p.current) {
      await createSlo({ db, actor, enqueue: deps.enqueue, input: p.input });
      continue;
    }
    if (p.fields.length === 0) continue;
    const top = new Set(p.fields.map((f) => f.field.split(".")[0]!));
    const { service: _s, ...rest } = p.input;
    const patch: Record<string, unknown> = { reason };
    for (const k of top) patch[k] = (rest as Record<string, unknown>)[k] ?? null;
    if (top.has("alerting")) patch.alerting = p.input.alerting ?? {};
    if (top.has("window")) patch.window = p.input.window;
    // Called without the HTTP schema, so null clears optional fields (description, endpoint, …).
    await patchSlo({ db, actor, enqueue: deps.enqueue, id: p.current.id, input: patch as never });
  }
}

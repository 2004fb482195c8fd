/**
 * OpenSLO import: parse → plan (what would change, field by field, against the database) → apply.
 * Declarative per object: a Service or SLO in the file is made to match the file; objects the file does not
 * mention are left alone (nothing is deleted). SLOs are matched by service and name. Applying the same file
 * twice changes nothing the second time, and says so. The plan is computed and authorised completely before
 * anything is written; then teams, services and SLOs are written in that order (SLOs through the SLO use cases,
 * so each change makes a version with a reason and an audit entry). The steps are in import/.
 */
import { SLO_INCLUDE, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import type { Enqueue } from "@burnrate/jobs";
import { applyPlan } from "./import/apply-plan";
import type { PlanContext } from "./import/plan-context";
import { planServices } from "./import/plan-services";
import { planSlos } from "./import/plan-slos";
import { planTeams } from "./import/plan-teams";
import { importResult } from "./import/result";
import type { ImportResult } from "./import/types";
import { refuseFailedPlan, refuseInvalidFile } from "./import/validate";
import { parseOpenSlo, type ImportIssue } from "./parse";

export { diffFields } from "./import/diff-fields";
export type { FieldChange, ImportResult, PlannedChange } from "./import/types";

export async function importOpenSlo(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  yaml: string;
  dryRun: boolean;
  reason?: string;
}): Promise<ImportResult> {
  const { db, actor } = deps;
  const parsed = parseOpenSlo(deps.yaml);
  // A file that cannot be read is refused at once; one with problems is still planned, so that the refusal
  // lists every problem (those of the plan too: an unknown service, a missing team…), not only the first kind.
  if (parsed.documents === 0 || parsed.errors.some((e) => e.field === "(yaml)")) refuseInvalidFile(parsed);

  const errors: ImportIssue[] = [];
  const svcRows = new Map(
    (
      await db.service.findMany({
        where: {
          slug: {
            in: [...new Set([...parsed.services.map((s) => s.slug), ...parsed.slos.map((s) => s.service)])],
          },
        },
        include: { team: true },
      })
    ).map((s) => [s.slug, s]),
  );
  const ctx: PlanContext = {
    actor,
    parsed,
    svcRows,
    fail: (src, field, message) => errors.push({ ...src, field, message }),
  };
  const { teams, changes: teamChanges } = await planTeams(db, ctx);
  const serviceChanges = planServices(ctx, teams);
  const existing = await db.slo.findMany({
    where: { service: { slug: { in: [...new Set(parsed.slos.map((s) => s.service))] } }, kind: "explicit" },
    include: SLO_INCLUDE,
    orderBy: { createdAt: "asc" },
  });
  const { sloPlans, changes: sloChanges } = planSlos(ctx, teams, existing);
  const changes = [...teamChanges, ...serviceChanges, ...sloChanges];
  refuseFailedPlan(errors, parsed.warnings, parsed.errors);

  const result = importResult(changes, deps.dryRun, parsed.warnings);
  if (deps.dryRun || !result.changed) return result;
  const reason = deps.reason?.trim() || "imported from OpenSLO";
  await applyPlan({ db, actor, enqueue: deps.enqueue, reason, parsed, svcRows, teams, changes, sloPlans });
  return result;
}

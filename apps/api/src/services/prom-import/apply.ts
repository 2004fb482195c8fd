/**
 * Applies Sloth or Pyrra specs (parse.ts) as Prometheus-sourced SLOs: declarative per SLO, matched by service
 * and name, like the OpenSLO import. The whole file is checked and planned before anything is written; a
 * second apply of the same file changes nothing and says so (created / updated / unchanged).
 */
import { ValidationError, type CreateSloBody, type SliSpec } from "@burnrate/contracts";
import { promQueryProblem } from "@burnrate/ingest";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { createService } from "../services/create-service";
import { createSlo, patchSlo } from "../slos";
import { parsePyrra, parseSloth, type ImportedSlo, type ImportIssue } from "./parse";

export interface SpecImportResult {
  dryRun: boolean;
  changed: boolean;
  summary: { created: number; updated: number; unchanged: number };
  changes: {
    service: string;
    name: string;
    action: "create" | "update" | "unchanged";
    document: number;
    fields: string[];
  }[];
  warnings: string[];
}

function refuse(format: string, issues: ImportIssue[]): never {
  const first = issues[0]!;
  throw new ValidationError(
    `${format} import refused: ${issues.map((i) => `document ${i.document}, ${i.field}: ${i.message}`).join("; ")}`,
    {
      field: first.field,
      document: first.document,
      issues: issues.map((i) => ({ field: i.field, message: `document ${i.document}: ${i.message}` })),
    },
  );
}

function desired(s: ImportedSlo, url: string): Omit<CreateSloBody, "service"> {
  const sli: SliSpec = {
    type: "prometheus",
    url,
    ...(s.good !== undefined ? { good: s.good } : {}),
    ...(s.bad !== undefined ? { bad: s.bad } : {}),
    total: s.total,
  };
  return {
    name: s.name,
    ...(s.description !== null ? { description: s.description } : {}),
    sli,
    objectivePercent: s.objectivePercent,
    window: { type: "rolling", days: s.windowDays },
    budgetingMethod: "occurrences",
    alerting: s.disabledTiers.length ? { disabledTiers: s.disabledTiers } : {},
  };
}

const canon = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
  );

export async function importPrometheusSpecs(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  format: "sloth" | "pyrra";
  yaml: string;
  prometheusUrl: string;
  team: string | undefined;
  dryRun: boolean;
  reason?: string;
}): Promise<SpecImportResult> {
  const { db, actor } = deps;
  const label = deps.format === "sloth" ? "Sloth" : "Pyrra";
  const parsed = deps.format === "sloth" ? parseSloth(deps.yaml) : parsePyrra(deps.yaml);
  const issues = [...parsed.issues];
  for (const s of parsed.slos)
    for (const k of ["good", "bad", "total"] as const) {
      const q = s[k];
      const problem = q === undefined ? null : promQueryProblem(q);
      if (problem)
        issues.push({ document: s.document, field: s.fields[k] ?? k, message: `query ${problem}` });
    }
  const seen = new Set<string>();
  for (const s of parsed.slos) {
    const key = `${s.service}\u0000${s.name}`;
    if (seen.has(key))
      issues.push({
        document: s.document,
        field: "name",
        message: `SLO '${s.name}' of service '${s.service}' appears twice`,
      });
    seen.add(key);
  }
  if (issues.length) refuse(label, issues);

  const slugs = [...new Set(parsed.slos.map((s) => s.service))];
  const services = new Map(
    (await db.service.findMany({ where: { slug: { in: slugs } } })).map((s) => [s.slug, s]),
  );
  const missing = slugs.filter((s) => !services.has(s));
  let teamId: string | null = null;
  if (missing.length) {
    if (!deps.team)
      throw new ValidationError(
        `team: services ${missing.map((m) => `'${m}'`).join(", ")} do not exist; give ?team=<slug> to create them in that team`,
        { field: "team" },
      );
    const team = await db.team.findUnique({ where: { slug: deps.team } });
    if (!team) throw new ValidationError(`team: team '${deps.team}' does not exist`, { field: "team" });
    teamId = team.id;
  }
  for (const s of services.values()) assertCanWriteTeam(actor, s.teamId);
  if (teamId) assertCanWriteTeam(actor, teamId);

  const existing = await db.slo.findMany({
    where: { service: { slug: { in: slugs } }, kind: "explicit" },
    include: { service: true },
    orderBy: { createdAt: "asc" },
  });
  const plan = parsed.slos.map((s) => {
    const want = desired(s, deps.prometheusUrl);
    const row = existing.find((e) => e.service.slug === s.service && e.name === s.name);
    if (!row) return { s, want, row: null, fields: [] as string[] };
    const have: Record<string, unknown> = {
      description: row.description || undefined,
      sli: row.sli,
      objectivePercent: row.objectivePercent,
      window: row.window,
      budgetingMethod: row.budgetingMethod,
      alerting: row.alerting ?? {},
    };
    const fields = Object.keys(have).filter(
      (k) => canon(have[k]) !== canon((want as Record<string, unknown>)[k]),
    );
    return { s, want, row, fields };
  });
  const changes = plan.map((p) => ({
    service: p.s.service,
    name: p.s.name,
    document: p.s.document,
    action: (!p.row ? "create" : p.fields.length ? "update" : "unchanged") as
      "create" | "update" | "unchanged",
    fields: p.fields,
  }));
  const summary = {
    created: changes.filter((c) => c.action === "create").length,
    updated: changes.filter((c) => c.action === "update").length,
    unchanged: changes.filter((c) => c.action === "unchanged").length,
  };
  const result: SpecImportResult = {
    dryRun: deps.dryRun,
    changed: summary.created + summary.updated > 0,
    summary,
    changes,
    warnings: parsed.warnings,
  };
  if (deps.dryRun || !result.changed) return result;

  const reason = deps.reason?.trim() || `imported from ${label}`;
  const team = deps.team;
  for (const slug of missing) await createService({ db, actor, input: { slug, name: slug, team: team! } });
  for (const p of plan) {
    if (!p.row)
      await createSlo({
        db,
        actor,
        enqueue: deps.enqueue,
        input: { service: p.s.service, ...p.want } as CreateSloBody,
      });
    else if (p.fields.length) {
      const patch: Record<string, unknown> = { reason };
      for (const f of p.fields)
        patch[f] = (p.want as Record<string, unknown>)[f] ?? (f === "description" ? "" : undefined);
      await patchSlo({ db, actor, enqueue: deps.enqueue, id: p.row.id, input: patch as never });
    }
  }
  return result;
}

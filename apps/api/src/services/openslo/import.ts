/**
 * OpenSLO import: parse → plan (what would change, field by field, against the database) → apply.
 * Declarative per object: a Service or SLO in the file is made to match the file; objects the file does not
 * mention are left alone (nothing is deleted). SLOs are matched by service and name. Applying the same file
 * twice changes nothing the second time, and says so. The plan is computed and authorised completely before
 * anything is written; then teams, services and SLOs are written in that order (SLOs through the SLO use cases,
 * so each change makes a version with a reason and an audit entry).
 */
import {
  ForbiddenError,
  ValidationError,
  canonicalFilter,
  compressStatuses,
  type CreateSloBody,
  type SliSpec,
  type SloResponse,
} from "@burnrate/contracts";
import { SLO_INCLUDE, toSloResponse, type Db } from "@burnrate/db";
import { assertCanWriteTeam, type Actor } from "../../plugins/auth";
import type { Enqueue } from "../../queue";
import { recordAudit } from "../audit";
import { createSlo, patchSlo } from "../slos";
import { normalizeAlerting, normalizeWindow } from "./model";
import { describeIssue, parseOpenSlo, type DocRef } from "./parse";

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface PlannedChange {
  kind: "team" | "service" | "slo";
  /** team slug, service slug, or "service/SLO name" */
  name: string;
  action: "create" | "update" | "unchanged";
  document: number | null;
  fields: FieldChange[];
}
export interface ImportResult {
  dryRun: boolean;
  changed: boolean;
  message: string;
  summary: { created: number; updated: number; unchanged: number };
  changes: PlannedChange[];
  warnings: string[];
}

const isAdmin = (a: Actor | null) => !!a && (a.kind === "user" ? a.isAdmin : a.scopes.has("admin"));

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
  if (parsed.errors.length > 0)
    throw new ValidationError(
      parsed.errors.length === 1
        ? describeIssue(parsed.errors[0]!)
        : `${parsed.errors.length} problems; the first: ${describeIssue(parsed.errors[0]!)}`,
      { errors: parsed.errors, warnings: parsed.warnings },
    );

  const errors: { document: number; kind: string; name: string; field: string; message: string }[] = [];
  const fail = (src: DocRef, field: string, message: string) => errors.push({ ...src, field, message });
  const changes: PlannedChange[] = [];

  // Teams: owners named by services, and Slack channels of notification targets.
  interface TeamPlan {
    slug: string;
    id: string | null;
    slackChannel: string | null;
    wantChannel?: string;
    source: DocRef;
  }
  const teams = new Map<string, TeamPlan>();
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
  const teamOfService = (slug: string): string | null =>
    parsed.services.find((s) => s.slug === slug)?.team ?? svcRows.get(slug)?.team.slug ?? null;
  const wantTeam = async (slug: string, source: DocRef) => {
    if (teams.has(slug)) return teams.get(slug)!;
    const row = await db.team.findUnique({ where: { slug } });
    const t: TeamPlan = { slug, id: row?.id ?? null, slackChannel: row?.slackChannel ?? null, source };
    teams.set(slug, t);
    return t;
  };
  for (const s of parsed.services) {
    const team = s.team ?? svcRows.get(s.slug)?.team.slug;
    if (!team)
      fail(
        s.source,
        "metadata.labels.team",
        `is required to create service '${s.slug}': the slug of the owning team`,
      );
    else await wantTeam(team, s.source);
  }
  for (const b of parsed.slack) {
    const team = b.team ?? (b.service ? teamOfService(b.service) : null);
    if (!team) continue;
    const t = await wantTeam(team, b.source);
    if (t.wantChannel && t.wantChannel !== b.channel)
      fail(
        b.source,
        "spec.target",
        `team '${team}' gets two Slack channels: ${t.wantChannel} and ${b.channel}`,
      );
    t.wantChannel = b.channel;
  }
  for (const t of [...teams.values()].sort((a, b) => a.slug.localeCompare(b.slug))) {
    if (!t.id) {
      if (!isAdmin(actor)) {
        fail(
          t.source,
          "metadata.labels.team",
          `team '${t.slug}' does not exist, and only org admins create teams`,
        );
        continue;
      }
      changes.push({
        kind: "team",
        name: t.slug,
        action: "create",
        document: t.source.document,
        fields: [{ field: "slackChannel", before: null, after: t.wantChannel ?? null }],
      });
    } else if (t.wantChannel !== undefined && t.wantChannel !== t.slackChannel) {
      if (!authorised(actor, t.id)) fail(t.source, "spec.target", `you cannot change team '${t.slug}'`);
      changes.push({
        kind: "team",
        name: t.slug,
        action: "update",
        document: t.source.document,
        fields: [{ field: "slackChannel", before: t.slackChannel, after: t.wantChannel }],
      });
    } else
      changes.push({
        kind: "team",
        name: t.slug,
        action: "unchanged",
        document: t.source.document,
        fields: [],
      });
  }

  // Services.
  for (const s of parsed.services) {
    const row = svcRows.get(s.slug);
    const team = s.team ?? row?.team.slug;
    if (!team) continue;
    const t = teams.get(team);
    if (t?.id && !authorised(actor, t.id))
      fail(s.source, "metadata.labels.team", `you cannot change services of team '${team}'`);
    if (row && row.teamId !== t?.id && !authorised(actor, row.teamId))
      fail(
        s.source,
        "metadata.labels.team",
        `you cannot move service '${s.slug}' away from team '${row.team.slug}'`,
      );
    const want = {
      name: s.name,
      team,
      description: s.description,
      runbookUrl: s.runbookUrl,
      tier: s.tier,
      failureStatuses: compressStatuses(s.failureStatuses),
    };
    if (!row) {
      changes.push({
        kind: "service",
        name: s.slug,
        action: "create",
        document: s.source.document,
        fields: Object.entries(want).map(([field, after]) => ({ field, before: null, after })),
      });
      continue;
    }
    const have = {
      name: row.name,
      team: row.team.slug,
      description: row.description,
      runbookUrl: row.runbookUrl,
      tier: row.tier,
      failureStatuses: compressStatuses(row.failureStatuses),
    };
    const fields = diffFields(have, want);
    changes.push({
      kind: "service",
      name: s.slug,
      action: fields.length ? "update" : "unchanged",
      document: s.source.document,
      fields,
    });
  }

  // SLOs.
  const sloPlans: { input: CreateSloBody; current: SloResponse | null; fields: FieldChange[] }[] = [];
  const existing = await db.slo.findMany({
    where: { service: { slug: { in: [...new Set(parsed.slos.map((s) => s.service))] } }, kind: "explicit" },
    include: SLO_INCLUDE,
    orderBy: { createdAt: "asc" },
  });
  for (const s of parsed.slos) {
    const svcKnown = svcRows.has(s.service) || parsed.services.some((x) => x.slug === s.service);
    if (!svcKnown) {
      fail(
        s.source,
        "spec.service",
        `service '${s.service}' does not exist and no Service document in the file creates it`,
      );
      continue;
    }
    const team = teamOfService(s.service);
    const teamId = team ? (teams.get(team)?.id ?? svcRows.get(s.service)?.teamId) : undefined;
    if (teamId && !authorised(actor, teamId))
      fail(s.source, "spec.service", `you cannot change SLOs of team '${team}'`);
    const matches = existing.filter((e) => e.service.slug === s.service && e.name === s.input.name);
    if (matches.length > 1) {
      fail(
        s.source,
        "metadata.displayName",
        `service '${s.service}' has ${matches.length} SLOs named '${s.input.name}'; rename one so the import can tell them apart`,
      );
      continue;
    }
    const current = matches[0] ? toSloResponse(matches[0]) : null;
    const want = comparable(s.input);
    const fields = current
      ? diffFields(comparable(current), want)
      : Object.entries(want).map(([field, after]) => ({ field, before: null, after }));
    sloPlans.push({ input: s.input, current, fields });
    changes.push({
      kind: "slo",
      name: `${s.service}/${s.input.name}`,
      action: !current ? "create" : fields.length ? "update" : "unchanged",
      document: s.source.document,
      fields: current ? fields : fields.filter((f) => f.after !== null),
    });
  }

  if (errors.length > 0) {
    const first = errors[0]!;
    const msg = `document ${first.document} (${first.kind} ${first.name}): field ${first.field}: ${first.message}`;
    if (errors.every((e) => /cannot|only org admins/.test(e.message))) throw new ForbiddenError(msg);
    throw new ValidationError(errors.length === 1 ? msg : `${errors.length} problems; the first: ${msg}`, {
      errors,
      warnings: parsed.warnings,
    });
  }

  const summary = {
    created: changes.filter((c) => c.action === "create").length,
    updated: changes.filter((c) => c.action === "update").length,
    unchanged: changes.filter((c) => c.action === "unchanged").length,
  };
  const changed = summary.created + summary.updated > 0;
  const result: ImportResult = {
    dryRun: deps.dryRun,
    changed,
    message: changed
      ? `${deps.dryRun ? "would create" : "created"} ${summary.created}, ${deps.dryRun ? "would update" : "updated"} ${summary.updated}, ${summary.unchanged} unchanged`
      : `nothing to change: all ${summary.unchanged} objects already match the file`,
    summary,
    changes,
    warnings: parsed.warnings,
  };
  if (deps.dryRun || !changed) return result;

  // Apply.
  const reason = deps.reason?.trim() || "imported from OpenSLO";
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
  for (const p of sloPlans) {
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
  return result;
}

function authorised(actor: Actor | null, teamId: string): boolean {
  try {
    assertCanWriteTeam(actor, teamId);
    return true;
  } catch {
    return false;
  }
}

/** The fields of an SLO that the file controls, in a form where equal meaning compares equal. */
function comparable(s: CreateSloBody | SloResponse): Record<string, unknown> {
  const sli: SliSpec =
    s.sli.type === "ratio"
      ? { type: "ratio", good: canonicalFilter(s.sli.good), total: canonicalFilter(s.sli.total) }
      : s.sli;
  return {
    name: s.name,
    description: s.description ?? null,
    endpoint: s.endpoint ?? null,
    sli,
    objectivePercent: s.objectivePercent,
    window: normalizeWindow(s.window),
    budgetingMethod: s.budgetingMethod,
    priority: s.priority ?? null,
    journeyStep: s.journeyStep ?? null,
    customerSegment: s.customerSegment ?? null,
    runbookUrl: s.runbookUrl ?? null,
    alerting: normalizeAlerting(s.alerting),
  };
}

/** Field-by-field differences; objects are compared key by key ("sli.good", "window.days"). */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix = "",
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    const a = before[k] ?? null;
    const b = after[k] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const plain = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (plain(a) && plain(b) && (a as { type?: unknown }).type === (b as { type?: unknown }).type)
      out.push(...diffFields(a as Record<string, unknown>, b as Record<string, unknown>, `${prefix}${k}.`));
    else out.push({ field: `${prefix}${k}`, before: a, after: b });
  }
  return out;
}

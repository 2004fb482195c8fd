import {
  SupportTicketEntry,
  ValidationError,
  type PutSupportTicketsBody,
  type SupportTicketsResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { addMonths, ticketTrend } from "@burnrate/slo-core";
import type { z } from "zod";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";

const CSV_HEADER = ["service", "month", "count"] as const;

/**
 * Support ticket counts of services by month (book §11.2.9), from the ticket tool by API: each entry replaces
 * the service × month it names. Every service must exist, and the caller must be able to change its team.
 */
export async function putSupportTickets(deps: {
  db: Db;
  actor: Actor | null;
  input: PutSupportTicketsBody;
}): Promise<{ written: number }> {
  const { db, input } = deps;
  const slugs = [...new Set(input.entries.map((e) => e.service))];
  const services = await db.service.findMany({
    where: { slug: { in: slugs } },
    select: { id: true, slug: true, teamId: true },
  });
  const bySlug = new Map(services.map((s) => [s.slug, s]));
  input.entries.forEach((e, i) => {
    if (!bySlug.has(e.service))
      throw new ValidationError(`body field 'entries[${i}].service': no service '${e.service}'`, {
        field: `entries[${i}].service`,
      });
  });
  for (const teamId of new Set(services.map((s) => s.teamId))) assertCanWriteTeam(deps.actor, teamId);
  const by = actorLabel(deps.actor);
  // the last entry of a service × month wins, as in a file read top to bottom
  const last = new Map(input.entries.map((e) => [`${e.service}|${e.month}`, e]));
  await db.$transaction(
    [...last.values()].map((e) => {
      const serviceId = bySlug.get(e.service)!.id;
      return db.supportTicketCount.upsert({
        where: { serviceId_month: { serviceId, month: e.month } },
        create: { serviceId, month: e.month, count: e.count, updatedBy: by },
        update: { count: e.count, updatedBy: by },
      });
    }),
  );
  await recordAudit(db, {
    actor: deps.actor,
    action: "update",
    entity: "support_tickets",
    entityId: slugs.join(",").slice(0, 200),
    after: { entries: last.size },
  });
  return { written: last.size };
}

/**
 * A CSV upload ("service,month,count" and one line per service × month) as entries; a bad line is a 400 naming
 * its line number and field.
 */
export function parseSupportTicketsCsv(text: string): z.infer<typeof SupportTicketEntry>[] {
  const lines = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((l, i) => ({ n: i + 1, l: l.trim() }))
    .filter((x) => x.l !== "");
  const head = lines.shift();
  const cols = head?.l.split(",").map((c) => c.trim().toLowerCase()) ?? [];
  if (CSV_HEADER.some((c) => !cols.includes(c)))
    throw new ValidationError(`body: the first line must name the columns ${CSV_HEADER.join(",")}`, {
      field: "body",
    });
  if (lines.length === 0) throw new ValidationError("body: no line after the header", { field: "body" });
  if (lines.length > 5000) throw new ValidationError("body: at most 5000 lines", { field: "body" });
  return lines.map(({ n, l }) => {
    const cells = l.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    const raw = Object.fromEntries(CSV_HEADER.map((c) => [c, cells[cols.indexOf(c)] ?? ""]));
    const r = SupportTicketEntry.safeParse({
      service: raw.service,
      month: raw.month,
      count: /^\d+$/.test(raw.count ?? "") ? Number(raw.count) : raw.count,
    });
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = String(issue.path[0] ?? "line");
      throw new ValidationError(`body line ${n}, field '${field}': ${issue.message}`, { field, line: n });
    }
    return r.data;
  });
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** The trend per service and over them all, for the last `months` calendar months (UTC) up to now's. */
export async function supportTicketsReport(deps: {
  db: Db;
  query: { team?: string; service?: string; months: number };
  nowMs: number;
}): Promise<SupportTicketsResponse> {
  const { db, query } = deps;
  const to = monthOf(deps.nowMs);
  const from = addMonths(to, -(query.months - 1));
  const services = await db.service.findMany({
    where: {
      ...(query.team ? { team: { slug: query.team } } : {}),
      ...(query.service ? { slug: query.service } : {}),
      supportTickets: { some: { month: { gte: from, lte: to } } },
    },
    select: { id: true, slug: true, name: true, team: { select: { slug: true } } },
    orderBy: { slug: "asc" },
  });
  const rows = await db.supportTicketCount.findMany({
    where: { serviceId: { in: services.map((s) => s.id) }, month: { gte: from, lte: to } },
  });
  return {
    from,
    to,
    overall: ticketTrend(rows, from, to),
    services: services.map((s) => ({
      service: s.slug,
      name: s.name,
      team: s.team.slug,
      ...ticketTrend(
        rows.filter((r) => r.serviceId === s.id),
        from,
        to,
      ),
    })),
  };
}

import type { IncidentResponse, IncidentTimelineEntry } from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import { HOUR_MS, incidentTimes, type IncidentState, type IncidentTimes } from "@burnrate/slo-core";

export const incidentInclude = {
  alerts: { include: { alert: { include: { events: { orderBy: { at: "asc" } } } } } },
  events: { orderBy: [{ at: "asc" }, { seq: "asc" }] },
  channel: true,
} as const satisfies Prisma.IncidentInclude;
export type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentInclude }>;

/** The incident's detect, acknowledge and recover times, from its alerts and its own timeline. */
export function timesOf(i: IncidentRow): IncidentTimes {
  const firstUpdate = i.events.find((e) => e.kind === "update");
  const opened = i.events.find((e) => e.kind === "opened");
  return incidentTimes({
    startedAtMs: i.startedAt.getTime(),
    openedAtMs: (opened?.at ?? i.createdAt).getTime(),
    alerts: i.alerts.map(({ alert }) => ({
      firedAtMs: alert.firedAt.getTime(),
      acknowledgedAtMs: alert.acknowledgedAt?.getTime() ?? null,
    })),
    firstUpdateAtMs: firstUpdate?.at.getTime() ?? null,
    openedByPerson: true,
    resolvedAtMs:
      i.events.findLast((e) => e.kind === "state" && e.state === "resolved")?.at.getTime() ?? null,
  });
}

/** Slugs of the ids an incident names (teams and services may have been renamed or deleted since). */
async function slugsOf(db: Db, i: { teamIds: string[]; serviceIds: string[] }) {
  const [teams, services] = await Promise.all([
    db.team.findMany({ where: { id: { in: i.teamIds } }, select: { id: true, slug: true } }),
    db.service.findMany({ where: { id: { in: i.serviceIds } }, select: { id: true, slug: true } }),
  ]);
  const bySlug = (rows: { id: string; slug: string }[], ids: string[]) =>
    ids.flatMap((id) => rows.find((r) => r.id === id)?.slug ?? []);
  return { teams: bySlug(teams, i.teamIds), services: bySlug(services, i.serviceIds) };
}

/** Alert events and deployments of the affected services join the incident's own entries, in time order. */
async function timelineOf(db: Db, i: IncidentRow, times: IncidentTimes): Promise<IncidentTimelineEntry[]> {
  const own: IncidentTimelineEntry[] = i.events.map((e) => ({
    kind: e.kind,
    at: e.at.toISOString(),
    state: (e.state as IncidentState | null) ?? null,
    message: e.message,
    public: e.public,
    author: e.author,
    ...(e.detail !== null ? { detail: e.detail } : {}),
  }));
  const alerts: IncidentTimelineEntry[] = i.alerts.flatMap(({ alert }) =>
    alert.events.map((e) => ({
      kind: `alert_${e.kind}`,
      at: e.at.toISOString(),
      state: null,
      message: null,
      public: false,
      author: (e.detail as { by?: string } | null)?.by ?? null,
      detail: { alertId: alert.id },
    })),
  );
  const from = new Date(times.startedAtMs - HOUR_MS);
  const to = times.resolvedAtMs === null ? undefined : new Date(times.resolvedAtMs);
  const deployments = await db.deployment.findMany({
    where: { serviceId: { in: i.serviceIds }, at: { gte: from, ...(to ? { lte: to } : {}) } },
    include: { service: { select: { slug: true } } },
    orderBy: { at: "asc" },
    take: 100,
  });
  const deploys: IncidentTimelineEntry[] = deployments.map((d) => ({
    kind: d.kind === "deployment" ? "deployment" : `annotation_${d.kind}`,
    at: d.at.toISOString(),
    state: null,
    message: `${d.service.slug} ${d.version}`,
    public: false,
    author: d.author,
    detail: { service: d.service.slug, version: d.version },
  }));
  return [...own, ...alerts, ...deploys].sort((a, b) => a.at.localeCompare(b.at));
}

export async function toIncidentResponse(
  db: Db,
  i: IncidentRow,
  withTimeline: boolean,
): Promise<IncidentResponse> {
  const times = timesOf(i);
  const { teams, services } = await slugsOf(db, i);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    state: i.state as IncidentState,
    priority: i.priority as IncidentResponse["priority"],
    severity: i.severity as IncidentResponse["severity"],
    teams,
    services,
    regions: i.regions,
    products: i.products,
    roles: { commander: i.commander, communicationsLead: i.communicationsLead, opsLead: i.opsLead },
    alertIds: i.alerts.map((a) => a.alertId),
    startedAt: new Date(times.startedAtMs).toISOString(),
    detectedAt: new Date(times.detectedAtMs).toISOString(),
    acknowledgedAt: iso(times.acknowledgedAtMs),
    resolvedAt: iso(times.resolvedAtMs),
    ttdMinutes: times.ttdMinutes,
    ttaMinutes: times.ttaMinutes,
    ttrMinutes: times.ttrMinutes,
    createdBy: i.createdBy,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    channel: i.channel
      ? {
          name: i.channel.name,
          id: i.channel.channelId,
          url: i.channel.channelId
            ? `https://slack.com/app_redirect?channel=${encodeURIComponent(i.channel.channelId)}`
            : null,
          invited: i.channel.invited.filter((e) => !e.startsWith("!")),
          error: i.channel.error,
        }
      : null,
    ...(withTimeline ? { timeline: await timelineOf(db, i, times) } : {}),
  };
}

/** Stores the computed times on the row (for lists, filters and indicators), from the same helper. */
export async function storeTimes(db: Prisma.TransactionClient | Db, id: string): Promise<void> {
  const i = await db.incident.findUniqueOrThrow({ where: { id }, include: incidentInclude });
  const t = timesOf(i);
  await db.incident.update({
    where: { id },
    data: {
      startedAt: new Date(t.startedAtMs),
      detectedAt: new Date(t.detectedAtMs),
      acknowledgedAt: t.acknowledgedAtMs === null ? null : new Date(t.acknowledgedAtMs),
      resolvedAt: t.resolvedAtMs === null ? null : new Date(t.resolvedAtMs),
    },
  });
}

import { NotFoundError, Slug, type PublicStatusResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import {
  DAY_MS,
  componentState,
  dailyUptime,
  incidentImpact,
  worstState,
  type IncidentState,
} from "@burnrate/slo-core";

/** Days of uptime a status page shows. */
export const UPTIME_DAYS = 90;
/** Resolved incidents stay on the page (and in its feeds) this long. */
const RESOLVED_SHOWN_MS = 14 * DAY_MS;

interface ComponentRow {
  name: string;
  serviceId: string;
  regionKey: string | null;
}

/** The availability SLOs whose SLI stands for a service: its service-wide one, else its endpoints' ones. */
async function uptimeSlos(db: Db, serviceId: string): Promise<string[]> {
  const slos = await db.slo.findMany({
    where: { serviceId },
    select: { id: true, endpointId: true, sli: true },
    orderBy: { createdAt: "asc" },
  });
  const avail = slos.filter((s) => (s.sli as { type?: string } | null)?.type === "availability");
  const whole = avail.find((s) => s.endpointId === null);
  return whole ? [whole.id] : avail.map((s) => s.id);
}

async function uptimeOf(db: Db, c: ComponentRow, nowMs: number) {
  const sloIds = await uptimeSlos(db, c.serviceId);
  const region = c.regionKey ? await db.region.findUnique({ where: { slug: c.regionKey } }) : null;
  const from = new Date(Math.floor(nowMs / DAY_MS) * DAY_MS - (UPTIME_DAYS - 1) * DAY_MS);
  const hours =
    sloIds.length === 0 || (c.regionKey && !region)
      ? []
      : await db.sliHour.findMany({
          where: { sloId: { in: sloIds }, hour: { gte: from }, ...(region ? { regionId: region.id } : {}) },
          select: { hour: true, good: true, total: true },
        });
  return dailyUptime(
    hours.map((h) => ({ atMs: h.hour.getTime(), good: Number(h.good), total: Number(h.total) })),
    nowMs,
    UPTIME_DAYS,
  );
}

const touches = (c: ComponentRow, i: { serviceIds: string[]; regions: string[] }) =>
  i.serviceIds.includes(c.serviceId) &&
  (c.regionKey === null || i.regions.length === 0 || i.regions.includes(c.regionKey));

/**
 * What a status page shows, and nothing else: component names and states, 90-day uptime from the SLIs, and
 * incidents that have public updates, with those updates only (no services, teams, SLOs or private notes).
 */
export async function publicStatus(deps: {
  db: Db;
  slug: string;
  nowMs: number;
  publicUrl: string;
}): Promise<PublicStatusResponse> {
  const { db, nowMs } = deps;
  // A path that cannot be a slug names no page; it is not echoed back either.
  if (!Slug.safeParse(deps.slug).success) throw new NotFoundError("status page", "(not a slug)");
  const page = await db.statusPage.findUnique({
    where: { slug: deps.slug },
    include: { components: { orderBy: { position: "asc" } } },
  });
  if (!page) throw new NotFoundError("status page", deps.slug);
  const serviceIds = [...new Set(page.components.map((c) => c.serviceId))];
  const incidents = await db.incident.findMany({
    where: {
      serviceIds: { hasSome: serviceIds },
      events: { some: { public: true, message: { not: null } } },
      OR: [{ resolvedAt: null }, { resolvedAt: { gte: new Date(nowMs - RESOLVED_SHOWN_MS) } }],
      startedAt: { lte: new Date(nowMs) },
    },
    include: {
      events: { where: { public: true, message: { not: null } }, orderBy: [{ at: "asc" }, { seq: "asc" }] },
    },
    orderBy: { startedAt: "desc" },
    take: 50,
  });
  const snapshots = await db.sloMetricSnapshot.findMany({
    where: { slo: { serviceId: { in: serviceIds } } },
    select: { regionKey: true, remaining: true, pageFiring: true, slo: { select: { serviceId: true } } },
  });
  const components = await Promise.all(
    page.components.map(async (c) => {
      const open = incidents.filter((i) => i.state !== "resolved" && touches(c, i));
      const slos = snapshots.filter(
        (s) => s.slo.serviceId === c.serviceId && s.regionKey === (c.regionKey ?? "*"),
      );
      const uptime = await uptimeOf(db, c, nowMs);
      return {
        name: c.name,
        status: componentState({ openIncidentPriorities: open.map((i) => i.priority), slos }),
        uptime90dPercent: uptime.percent,
        days: uptime.days.map((d) => ({
          date: new Date(d.dayMs).toISOString().slice(0, 10),
          uptimePercent: d.percent,
        })),
      };
    }),
  );
  const shown = incidents.filter((i) => page.components.some((c) => touches(c, i)));
  const updatedAt = Math.max(
    page.updatedAt.getTime(),
    ...shown.flatMap((i) => i.events.map((e) => e.at.getTime())),
  );
  return {
    page: {
      slug: page.slug,
      name: page.name,
      url: `${deps.publicUrl.replace(/\/$/, "")}/status/${page.slug}`,
      updatedAt: new Date(updatedAt).toISOString(),
    },
    status: worstState(components.map((c) => c.status)),
    components,
    incidents: shown.map((i) => ({
      id: i.id,
      title: i.title,
      state: i.state as IncidentState,
      impact: incidentImpact(i.priority),
      components: page.components.filter((c) => touches(c, i)).map((c) => c.name),
      startedAt: i.startedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      updates: i.events.map((e) => ({
        at: e.at.toISOString(),
        state: (e.state as IncidentState | null) ?? null,
        message: e.message ?? "",
      })),
    })),
  };
}

import {
  NotFoundError,
  type DefaultSlosResponse,
  type PutDefaultSlosBody,
  type SliSpec,
  type WindowSpec,
} from "@burnrate/contracts";
import { deleteSliStatements, type Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { recordAudit } from "./audit";

type Defaults = z.infer<typeof DefaultSlosResponse>;
const SLI_TYPES = ["availability", "latency"] as const;
const LABEL = { availability: "Availability", latency: "Latency" } as const;

export async function getDefaultSlos(deps: { db: Db; service: string }): Promise<Defaults> {
  const service = await deps.db.service.findUnique({
    where: { slug: deps.service },
    include: { defaultSlos: true },
  });
  if (!service) throw new NotFoundError("service", deps.service);
  return toDefaults(service.slug, service.defaultSlos);
}

function toDefaults(
  slug: string,
  rows: { sliType: string; sli: unknown; objectivePercent: number; window: unknown }[],
): Defaults {
  const a = rows.find((r) => r.sliType === "availability");
  const l = rows.find((r) => r.sliType === "latency");
  return {
    service: slug,
    availability: a ? { objectivePercent: a.objectivePercent, window: a.window as WindowSpec } : null,
    latency: l
      ? {
          objectivePercent: l.objectivePercent,
          thresholdMs: (l.sli as { thresholdMs: number }).thresholdMs,
          window: l.window as WindowSpec,
        }
      : null,
  };
}

/** Sets (or, with null, removes) the service's default SLO per SLI type and re-derives the per-endpoint SLOs. */
export async function putDefaultSlos(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  service: string;
  input: z.infer<typeof PutDefaultSlosBody>;
}): Promise<Defaults> {
  const { db, actor, input } = deps;
  const service = await db.service.findUnique({
    where: { slug: deps.service },
    include: { defaultSlos: true },
  });
  if (!service) throw new NotFoundError("service", deps.service);
  assertCanWriteTeam(actor, service.teamId);
  const before = toDefaults(service.slug, service.defaultSlos);
  for (const type of SLI_TYPES) {
    const spec = input[type];
    if (spec === undefined) continue;
    if (spec === null) {
      await db.defaultSlo.deleteMany({ where: { serviceId: service.id, sliType: type } });
      continue;
    }
    const sli: SliSpec =
      type === "latency"
        ? { type, thresholdMs: (spec as { thresholdMs: number }).thresholdMs }
        : { type: "availability" };
    const data = { sli, objectivePercent: spec.objectivePercent, window: spec.window };
    await db.defaultSlo.upsert({
      where: { serviceId_sliType: { serviceId: service.id, sliType: type } },
      create: { serviceId: service.id, sliType: type, ...data },
      update: data,
    });
  }
  const after = await getDefaultSlos({ db, service: service.slug });
  await recordAudit(db, {
    actor,
    action: "put_defaults",
    entity: "service",
    entityId: service.id,
    teamId: service.teamId,
    before,
    after: { ...after, reason: input.reason },
  });
  await syncDefaultSlos({ db, enqueue: deps.enqueue }, service.id);
  return after;
}

/**
 * Derives one SLO per endpoint and default, for every endpoint that has no explicit SLO of that SLI type
 * (an explicit SLO replaces the default for its SLI only). Idempotent; call it after anything that changes
 * defaults, endpoints or explicit SLOs.
 */
export async function syncDefaultSlos(
  deps: { db: Db; enqueue: Enqueue },
  serviceId: string,
): Promise<{ created: number; updated: number; removed: number }> {
  const { db } = deps;
  const [defaults, endpoints, slos] = await Promise.all([
    db.defaultSlo.findMany({ where: { serviceId } }),
    db.endpoint.findMany({ where: { serviceId } }),
    db.slo.findMany({ where: { serviceId, endpointId: { not: null } } }),
  ]);
  const explicit = new Set(
    slos
      .filter((s) => s.kind === "explicit")
      .map((s) => `${s.endpointId}|${(s.sli as { type: string }).type}`),
  );
  const derived = new Map(
    slos.filter((s) => s.kind === "default").map((s) => [`${s.endpointId}|${s.defaultSloId}`, s]),
  );
  const wanted = new Set<string>();
  let created = 0;
  let updated = 0;
  for (const d of defaults) {
    for (const e of endpoints) {
      if (explicit.has(`${e.id}|${d.sliType}`)) continue;
      const key = `${e.id}|${d.id}`;
      wanted.add(key);
      const data = {
        sli: d.sli as object,
        objectivePercent: d.objectivePercent,
        window: d.window as object,
        budgetingMethod: d.budgetingMethod,
        name: `${LABEL[d.sliType as keyof typeof LABEL] ?? d.sliType} (default)`,
      };
      const existing = derived.get(key);
      if (!existing) {
        const row = await db.slo.create({
          data: {
            ...data,
            serviceId,
            endpointId: e.id,
            kind: "default",
            defaultSloId: d.id,
            backfillPercent: 0,
          },
        });
        await deps.enqueue("slo.backfill", { sloId: row.id, version: row.version });
        created++;
      } else if (
        existing.objectivePercent !== data.objectivePercent ||
        JSON.stringify(existing.sli) !== JSON.stringify(data.sli) ||
        JSON.stringify(existing.window) !== JSON.stringify(data.window)
      ) {
        const sliChanged = JSON.stringify(existing.sli) !== JSON.stringify(data.sli);
        await db.slo.update({
          where: { id: existing.id },
          data: { ...data, version: { increment: 1 }, ...(sliChanged ? { backfillPercent: 0 } : {}) },
        });
        if (sliChanged)
          await deps.enqueue("slo.backfill", { sloId: existing.id, version: existing.version + 1 });
        updated++;
      }
    }
  }
  const stale = [...derived.entries()].filter(([k]) => !wanted.has(k)).map(([, s]) => s.id);
  if (stale.length > 0) await deleteSloData(db, stale);
  return { created, updated, removed: stale.length };
}

/** Removes SLOs with their derived per-minute and per-hour data (alerts and versions cascade). */
export async function deleteSloData(db: Db, ids: string[]): Promise<void> {
  await db.$transaction([...deleteSliStatements(db, ids), db.slo.deleteMany({ where: { id: { in: ids } } })]);
}

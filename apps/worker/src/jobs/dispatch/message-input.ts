import { LoadedSlo, SLO_INCLUDE, loadSliSeries, type Db } from "@burnrate/db";
import type { AlertMessageInput } from "@burnrate/slack";
import { DAY_MS, computeStatus, statusRange } from "@burnrate/slo-core";
import { buildMessageInput } from "./build-message-input";

/** Deployments this recent are listed in the alert's message ("what changed?"). */
const DEPLOYMENT_LOOKBACK_MS = DAY_MS;
/** The latest deployments listed, at most. */
const DEPLOYMENTS_SHOWN = 3;

/** Reads what the alert's Slack message shows now (its state, the SLO's status, recent deployments). */
export async function messageInput(
  deps: { db: Db; publicUrl: string; now: () => number },
  alertId: string,
): Promise<AlertMessageInput> {
  const { db } = deps;
  const alert = await db.alert.findUniqueOrThrow({
    where: { id: alertId },
    include: { slo: { include: SLO_INCLUDE } },
  });
  const loaded = new LoadedSlo(alert.slo);
  const slo = loaded.response;
  const nowMs = deps.now();
  const model = loaded.model(nowMs);
  const region =
    alert.regionKey === "*" ? null : await db.region.findUnique({ where: { slug: alert.regionKey } });
  const range = statusRange(model, nowMs);
  const status = computeStatus(
    model,
    await loadSliSeries(db, slo.id, region?.id ?? null, range.fromMs, range.toMs),
    nowMs,
  );
  const deployments = await db.deployment.findMany({
    where: {
      serviceId: alert.slo.serviceId,
      kind: "deployment",
      at: { gte: new Date(nowMs - DEPLOYMENT_LOOKBACK_MS), lte: new Date(nowMs) },
      ...(region ? { OR: [{ regionId: region.id }, { regionId: null }] } : {}),
    },
    orderBy: { at: "desc" },
    take: DEPLOYMENTS_SHOWN,
  });
  const regionSlugs = new Map((await db.region.findMany()).map((r) => [r.id, r.slug]));
  return buildMessageInput({
    alert,
    sloRow: alert.slo,
    slo,
    model,
    status,
    region: region?.slug ?? null,
    deployments,
    regionSlugs,
    publicUrl: deps.publicUrl,
  });
}

import { DEFAULT_NO_DATA_MINUTES, formatEndpoint, type SloResponse } from "@burnrate/contracts";
import type { AlertMessageInput } from "@burnrate/slack";
import {
  MINUTE_MS,
  budgetSpentInWindow,
  type SloModel,
  type SloStatus,
  type TierDecision,
} from "@burnrate/slo-core";

/** Everything the alert's Slack message is built from, as read by messageInput. */
export interface MessageFacts {
  alert: {
    id: string;
    kind: string;
    state: string;
    severity: string;
    priority: string | null;
    tiers: unknown;
    acknowledgedBy: string | null;
    snoozedUntil: Date | null;
    firedAt: Date;
  };
  /** The SLO's row: its own priority, endpoint and service. */
  sloRow: {
    priority: string | null;
    endpoint: { method: string; route: string } | null;
    service: { slug: string; name: string; runbookUrl: string | null };
  };
  slo: Pick<SloResponse, "id" | "name" | "sentence" | "runbookUrl" | "alerting">;
  model: Pick<SloModel, "tiers">;
  status: Pick<SloStatus, "period" | "remaining" | "timeToExhaustionHours" | "exhaustion">;
  /** The alert's region slug (null: all regions). */
  region: string | null;
  /** The service's latest deployments, newest first. */
  deployments: { version: string; at: Date; regionId: string | null }[];
  regionSlugs: Map<string, string>;
  publicUrl: string;
}

/** "1h", "3d", "90m": a window's length as the message shows it. */
export function formatWindow(ms: number): string {
  const m = ms / MINUTE_MS;
  return m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}

/** The tier the message speaks of: a firing page, else any firing tier, else the first tier (none: undefined). */
export function worstTier(tiers: TierDecision[]): TierDecision | undefined {
  return (
    tiers
      .filter((t) => t.firing)
      .sort((x, y) => (y.severity === "page" ? 1 : 0) - (x.severity === "page" ? 1 : 0))[0] ?? tiers[0]
  );
}

/** The SLO's own priority, else the one derived when the alert fired (the message says which), else none. */
export function messagePriority(
  sloPriority: string | null,
  alertPriority: string | null,
): AlertMessageInput["priority"] {
  return sloPriority
    ? { value: sloPriority, derived: false }
    : alertPriority
      ? { value: alertPriority, derived: true }
      : null;
}

/** The SLO's page, on the alert's region when it has one. */
export function sloUrl(publicUrl: string, sloId: string, region: string | null): string {
  return `${publicUrl.replace(/\/$/, "")}/slos/${sloId}${region ? `?region=${region}` : ""}`;
}

/** The alert's Slack message input (pure: everything is read before). */
export function buildMessageInput(f: MessageFacts): AlertMessageInput {
  const { alert, slo, status } = f;
  const worst = worstTier((alert.tiers ?? []) as TierDecision[]);
  const tierDef = f.model.tiers.find((t) => t.name === worst?.tier);
  const longBurn = worst?.longBurnRate ?? null;
  return {
    alertId: alert.id,
    kind: alert.kind === "no_data" ? "no_data" : "burn_rate",
    noDataMinutes: slo.alerting?.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES,
    state: alert.state as AlertMessageInput["state"],
    severity: alert.severity as AlertMessageInput["severity"],
    priority: messagePriority(f.sloRow.priority, alert.priority),
    service: { slug: f.sloRow.service.slug, name: f.sloRow.service.name },
    endpoint: f.sloRow.endpoint ? formatEndpoint(f.sloRow.endpoint) : null,
    region: f.region,
    sloName: slo.name,
    sentence: slo.sentence,
    burn: {
      tier: worst?.tier ?? "n/a",
      window: tierDef ? formatWindow(tierDef.longWindowMs) : "1h",
      burnRate: longBurn,
      factor: worst?.factor ?? 0,
      budgetSpentInWindow: tierDef
        ? budgetSpentInWindow(longBurn, tierDef.longWindowMs, status.period.endMs - status.period.startMs)
        : null,
    },
    budgetRemaining: status.remaining,
    timeToExhaustionHours: status.timeToExhaustionHours,
    exhaustion: status.exhaustion,
    deployments: f.deployments.map((d) => ({
      version: d.version,
      at: d.at.toISOString(),
      region: d.regionId ? (f.regionSlugs.get(d.regionId) ?? null) : null,
    })),
    sloUrl: sloUrl(f.publicUrl, slo.id, f.region),
    runbookUrl: slo.runbookUrl ?? f.sloRow.service.runbookUrl,
    acknowledgedBy: alert.acknowledgedBy,
    snoozedUntil: alert.snoozedUntil?.toISOString() ?? null,
    firedAt: alert.firedAt.toISOString(),
  };
}

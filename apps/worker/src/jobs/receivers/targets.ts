import type { ReceiverEventType } from "@burnrate/contracts";
import { createHmac } from "node:crypto";

/** What a receiver is told about an alert. */
export interface ReceiverAlert {
  id: string;
  kind: string;
  state: string;
  severity: string;
  priority: string | null;
  slo: { id: string; name: string };
  service: string;
  team: string;
  region: string;
  runbookUrl: string | null;
  url: string;
  firedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
}

export interface ReceiverTarget {
  kind: string;
  url: string | null;
  secret: string | null;
}

/** One HTTP call to make: a receiver event maps to none (the target has nothing for it) or one call. */
export interface ReceiverCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
export const OPSGENIE_API_URL = "https://api.opsgenie.com";

const trimSlash = (u: string) => u.replace(/\/+$/, "");
const json = { "content-type": "application/json" };

export function summaryOf(a: ReceiverAlert): string {
  const what = a.kind === "no_data" ? "no data" : "burning its error budget";
  return `[${a.severity}] ${a.slo.name} (${a.service}, ${a.region}) is ${what}`;
}

/** Alertmanager's labels: the identity of the alert there (the same on every post, so a resolve matches). */
export function alertmanagerLabels(a: ReceiverAlert): Record<string, string> {
  return {
    alertname: a.kind === "no_data" ? "BurnrateSLONoData" : "BurnrateSLOBurn",
    alert_id: a.id,
    slo: a.slo.name,
    service: a.service,
    team: a.team,
    region: a.region,
    severity: a.severity,
  };
}

/** Alertmanager's `POST /api/v2/alerts`: firing (no endsAt) or resolved (endsAt = now). */
export function alertmanagerCall(t: ReceiverTarget, a: ReceiverAlert, resolvedAt: Date | null): ReceiverCall {
  const alert = {
    labels: alertmanagerLabels(a),
    annotations: {
      summary: summaryOf(a),
      ...(a.runbookUrl ? { runbook: a.runbookUrl } : {}),
      url: a.url,
    },
    startsAt: a.firedAt.toISOString(),
    ...(resolvedAt ? { endsAt: resolvedAt.toISOString() } : {}),
    generatorURL: a.url,
  };
  return { url: `${trimSlash(t.url!)}/api/v2/alerts`, headers: json, body: JSON.stringify([alert]) };
}

const PD_SEVERITY: Record<string, string> = { page: "critical", ticket: "warning" };
const PD_ACTION: Partial<Record<ReceiverEventType, string>> = {
  "alert.firing": "trigger",
  "alert.acknowledged": "acknowledge",
  "alert.resolved": "resolve",
};

/** PagerDuty Events API v2; dedup_key = the alert's id, so a repeated call changes nothing there. */
export function pagerdutyCall(
  t: ReceiverTarget,
  a: ReceiverAlert,
  type: ReceiverEventType,
): ReceiverCall | null {
  const action = PD_ACTION[type];
  if (!action) return null;
  const body = {
    routing_key: t.secret,
    event_action: action,
    dedup_key: a.id,
    ...(action === "trigger"
      ? {
          payload: {
            summary: summaryOf(a),
            source: a.service,
            severity: PD_SEVERITY[a.severity] ?? "error",
            component: a.slo.name,
            group: a.team,
            class: a.kind,
            custom_details: { region: a.region, priority: a.priority, slo_id: a.slo.id },
          },
          links: [{ href: a.url, text: "Alert in Burnrate" }],
          ...(a.runbookUrl ? { client: "Burnrate", client_url: a.runbookUrl } : {}),
        }
      : {}),
  };
  return { url: t.url ?? PAGERDUTY_EVENTS_URL, headers: json, body: JSON.stringify(body) };
}

const OG_PRIORITY: Record<string, string> = { page: "P1", ticket: "P3" };

/** Opsgenie Alert API v2: create with alias = the alert's id, then acknowledge and close by alias. */
export function opsgenieCall(
  t: ReceiverTarget,
  a: ReceiverAlert,
  type: ReceiverEventType,
): ReceiverCall | null {
  const base = `${trimSlash(t.url ?? OPSGENIE_API_URL)}/v2/alerts`;
  const headers = { ...json, authorization: `GenieKey ${t.secret}` };
  const alias = encodeURIComponent(a.id);
  switch (type) {
    case "alert.firing":
      return {
        url: base,
        headers,
        body: JSON.stringify({
          message: summaryOf(a).slice(0, 130),
          alias: a.id,
          description: `${summaryOf(a)}\n${a.url}`,
          priority: OG_PRIORITY[a.severity] ?? "P3",
          source: "Burnrate",
          tags: [a.severity, a.team, a.region],
          entity: a.service,
          details: { slo: a.slo.name, service: a.service, team: a.team, region: a.region, url: a.url },
        }),
      };
    case "alert.acknowledged":
      return {
        url: `${base}/${alias}/acknowledge?identifierType=alias`,
        headers,
        body: JSON.stringify({ source: "Burnrate", user: a.acknowledgedBy ?? undefined }),
      };
    case "alert.resolved":
      return {
        url: `${base}/${alias}/close?identifierType=alias`,
        headers,
        body: JSON.stringify({ source: "Burnrate" }),
      };
    default:
      return null;
  }
}

/** `Burnrate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the receiver's secret>`. */
export function signWebhook(secret: string, body: string, timestampSec: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex");
  return `t=${timestampSec},v1=${v1}`;
}

/** The webhook's event: its id (the alert event's) is the same on every retry, for the receiver to dedupe. */
export function webhookCall(
  t: ReceiverTarget,
  a: ReceiverAlert,
  ev: { id: string; type: ReceiverEventType; occurredAt: Date },
  nowMs: number,
): ReceiverCall {
  const body = JSON.stringify({
    id: ev.id,
    type: ev.type,
    occurredAt: ev.occurredAt.toISOString(),
    alert: {
      id: a.id,
      kind: a.kind,
      state: a.state,
      severity: a.severity,
      priority: a.priority,
      slo: a.slo,
      service: a.service,
      team: a.team,
      region: a.region,
      summary: summaryOf(a),
      runbookUrl: a.runbookUrl,
      url: a.url,
      firedAt: a.firedAt.toISOString(),
      acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
      acknowledgedBy: a.acknowledgedBy,
      resolvedAt: a.resolvedAt?.toISOString() ?? null,
    },
  });
  return {
    url: t.url!,
    headers: {
      ...json,
      "burnrate-event-id": ev.id,
      "burnrate-signature": signWebhook(t.secret ?? "", body, Math.floor(nowMs / 1000)),
    },
    body,
  };
}

/**
 * A webhook event other than an alert's (policy.enacted, slo.changed): `{id, type, occurredAt, <field>: data}`,
 * signed as the alert events are; its id is the same on every retry.
 */
export function webhookEventCall(
  t: ReceiverTarget,
  ev: { id: string; type: string; occurredAt: Date; field: string; data: unknown },
  nowMs: number,
): ReceiverCall {
  const body = JSON.stringify({
    id: ev.id,
    type: ev.type,
    occurredAt: ev.occurredAt.toISOString(),
    [ev.field]: ev.data,
  });
  return {
    url: t.url!,
    headers: {
      ...json,
      "burnrate-event-id": ev.id,
      "burnrate-signature": signWebhook(t.secret ?? "", body, Math.floor(nowMs / 1000)),
    },
    body,
  };
}

/** The call for one receiver event, or null when the target has nothing for it (then it is skipped). */
export function receiverCall(
  t: ReceiverTarget,
  a: ReceiverAlert,
  ev: { id: string; type: ReceiverEventType; occurredAt: Date },
  nowMs: number,
): ReceiverCall | null {
  switch (t.kind) {
    case "alertmanager":
      if (ev.type === "alert.firing") return alertmanagerCall(t, a, null);
      if (ev.type === "alert.resolved") return alertmanagerCall(t, a, a.resolvedAt ?? new Date(nowMs));
      return null;
    case "pagerduty":
      return pagerdutyCall(t, a, ev.type);
    case "opsgenie":
      return opsgenieCall(t, a, ev.type);
    case "webhook":
      return webhookCall(t, a, ev, nowMs);
    default:
      return null;
  }
}

/** The receiver event of an alert event kind (null: receivers are not told). */
export function receiverEventType(kind: string): ReceiverEventType | null {
  switch (kind) {
    case "fired":
      return "alert.firing";
    case "acknowledged":
      return "alert.acknowledged";
    case "resolved":
      return "alert.resolved";
    case "escalated":
      return "alert.escalated";
    default:
      return null;
  }
}

/** A refusal that a retry would not change: a 4xx other than 408 and 429. */
export class PermanentReceiverError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ""}`);
  }
}

/** A retryable answer (a 5xx, 408, 429): the status is kept for the delivery log. */
export class RetryableReceiverError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ""}`);
  }
}

/** The HTTP status of a failed call (null: no answer, e.g. a timeout or a refused connection). */
export function statusOfError(e: unknown): number | null {
  return e instanceof PermanentReceiverError || e instanceof RetryableReceiverError ? e.status : null;
}

/** Makes the call; throws PermanentReceiverError on a permanent refusal, another error on anything retryable. */
export async function send(call: ReceiverCall, timeoutMs: number): Promise<number> {
  const res = await fetch(call.url, {
    method: "POST",
    headers: call.headers,
    body: call.body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
  const text = (await res.text().catch(() => "")).slice(0, 200);
  if (res.ok) return res.status;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
    throw new PermanentReceiverError(res.status, text);
  throw new RetryableReceiverError(res.status, text);
}

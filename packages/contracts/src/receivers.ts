import { z } from "zod";
import { Slug } from "./common";

/** Where a team's alerts also go. */
export const ReceiverKind = z.enum(["alertmanager", "pagerduty", "opsgenie", "webhook"]);
export type ReceiverKind = z.infer<typeof ReceiverKind>;
export const ReceiverSeverity = z.enum(["page", "ticket"]);

/** The alert events a receiver gets (the webhook's `type`); every kind of receiver takes these. */
export const ALERT_EVENT_TYPES = [
  "alert.firing",
  "alert.acknowledged",
  "alert.resolved",
  "alert.escalated",
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];
/**
 * The other events, for webhook receivers only: an error budget policy's condition enacted or ended for an
 * SLO × region of the team, and an SLO of the team created, updated or deleted.
 */
export const WEBHOOK_ONLY_EVENT_TYPES = ["policy.enacted", "slo.changed"] as const;
export type WebhookOnlyEventType = (typeof WEBHOOK_ONLY_EVENT_TYPES)[number];
/** Every event type a receiver can take (its `events`). */
export const RECEIVER_EVENT_TYPES = [...ALERT_EVENT_TYPES, ...WEBHOOK_ONLY_EVENT_TYPES] as const;
export type ReceiverEventType = (typeof RECEIVER_EVENT_TYPES)[number];
export const ReceiverEventTypeSchema = z.enum(RECEIVER_EVENT_TYPES);

/** The event types a receiver takes: empty or left out = all of them. */
const ReceiverEvents = z
  .array(ReceiverEventTypeSchema)
  .max(RECEIVER_EVENT_TYPES.length * 2)
  .describe(`the event types it takes (${RECEIVER_EVENT_TYPES.join(", ")}); empty: all of them`);

/** policy.enacted and slo.changed go to webhooks only. */
function checkEventsForKind(
  kind: string | undefined,
  events: readonly string[] | undefined,
  ctx: z.RefinementCtx,
) {
  if (!kind || kind === "webhook" || !events) return;
  const bad = events.filter((e) => (WEBHOOK_ONLY_EVENT_TYPES as readonly string[]).includes(e));
  if (bad.length)
    ctx.addIssue({
      code: "custom",
      path: ["events"],
      message: `${bad.join(", ")} go to webhook receivers only`,
    });
}

const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .url("must be an http(s) URL")
  .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");

export const CreateReceiverBody = z
  .strictObject({
    team: Slug.describe("the team whose alerts it receives"),
    name: z.string().trim().min(1).max(200),
    kind: ReceiverKind,
    /**
     * alertmanager: its base URL (Burnrate posts to `<url>/api/v2/alerts`); webhook: the URL it posts to;
     * pagerduty and opsgenie: their API's URL, for a proxy or a test (default: the vendor's).
     */
    url: HttpUrl.optional(),
    /** The severities it receives; one receiver per severity routes pages and tickets apart. */
    severities: z.array(ReceiverSeverity).min(1).max(2).default(["page", "ticket"]),
    /** PagerDuty's routing key or Opsgenie's API key (write-only). A webhook's secret is generated. */
    secret: z.string().trim().min(4).max(500).optional(),
    events: ReceiverEvents.optional(),
  })
  .superRefine((b, ctx) => {
    checkEventsForKind(b.kind, b.events, ctx);
    if ((b.kind === "alertmanager" || b.kind === "webhook") && !b.url)
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message:
          b.kind === "webhook"
            ? "a webhook receiver needs its url"
            : "an Alertmanager receiver needs its url",
      });
    if ((b.kind === "pagerduty" || b.kind === "opsgenie") && !b.secret)
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: b.kind === "pagerduty" ? "give the routing key" : "give the API key",
      });
    if (b.kind === "webhook" && b.secret)
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: "a webhook's signing secret is generated; leave it out",
      });
  });
export type CreateReceiverBody = z.infer<typeof CreateReceiverBody>;

/**
 * A change to a receiver: its name, where it posts, the severities it takes, its secret (write-only) and
 * whether it is enabled. Its team and kind stay; a webhook's signing secret stays as generated.
 */
export const PatchReceiverBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    url: HttpUrl.nullable().optional().describe("null: the vendor's API (PagerDuty and Opsgenie only)"),
    severities: z.array(ReceiverSeverity).min(1).max(2).optional(),
    secret: z.string().trim().min(4).max(500).optional().describe("a new routing or API key (write-only)"),
    enabled: z.boolean().optional().describe("a disabled receiver is sent nothing"),
    events: ReceiverEvents.optional(),
  })
  .superRefine((b, ctx) => {
    if (Object.keys(b).length === 0)
      ctx.addIssue({ code: "custom", path: ["name"], message: "give at least one field to change" });
  });
export type PatchReceiverBody = z.infer<typeof PatchReceiverBody>;

export const ReceiverResponse = z.object({
  id: z.string(),
  team: z.string(),
  name: z.string(),
  kind: ReceiverKind,
  url: z.string().nullable(),
  severities: z.array(ReceiverSeverity),
  /** The secret's last 4 characters (the secret itself is never returned, but once at a webhook's creation). */
  secretHint: z.string().nullable(),
  enabled: z.boolean(),
  /** The event types it takes; empty: all of them. */
  events: z.array(ReceiverEventTypeSchema),
  createdAt: z.string(),
});
export type ReceiverResponse = z.infer<typeof ReceiverResponse>;

/** The answer to a create: a webhook's signing secret appears here, and only here. */
export const CreatedReceiverResponse = ReceiverResponse.extend({
  signingSecret: z.string().optional(),
});
export type CreatedReceiverResponse = z.infer<typeof CreatedReceiverResponse>;

export const ListReceiversQuery = z.object({ team: Slug.optional() });

/** A receiver's delivery job: one alert event to every receiver it concerns. */
export const DeliverReceiversJob = z.object({
  alertId: z.string(),
  eventId: z.string(),
  eventKind: z.string(),
});
export type DeliverReceiversJob = z.infer<typeof DeliverReceiversJob>;

/** A delivery of webhook events (policy.enacted, slo.changed) to a team's webhook receivers. */
export const DeliverWebhookEventJob = z.object({ eventId: z.string() });
export type DeliverWebhookEventJob = z.infer<typeof DeliverWebhookEventJob>;

export const ReceiverDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One delivery of one event to the receiver: what was sent, how many calls it took, how it ended. */
export const ReceiverDeliveryResponse = z.object({
  id: z.string(),
  type: ReceiverEventTypeSchema,
  /** The event's id (the webhook's `id` and `Burnrate-Event-Id`) */
  eventId: z.string(),
  /** The alert of an alert event */
  alertId: z.string().nullable(),
  /** pending (being tried), sent, failed (refused or out of calls), skipped (nothing to send to this kind) */
  status: z.enum(["pending", "sent", "failed", "skipped"]),
  attempts: z.number().int(),
  /** The last call's HTTP status code (null: none yet, or no answer) */
  lastStatus: z.number().int().nullable(),
  /** The last call's error, if it failed */
  error: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type ReceiverDeliveryResponse = z.infer<typeof ReceiverDeliveryResponse>;

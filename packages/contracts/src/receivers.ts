import { z } from "zod";
import { Slug } from "./common";

/** Where a team's alerts also go. */
export const ReceiverKind = z.enum(["alertmanager", "pagerduty", "opsgenie", "webhook"]);
export type ReceiverKind = z.infer<typeof ReceiverKind>;
export const ReceiverSeverity = z.enum(["page", "ticket"]);

/** The events a receiver gets (the webhook's `type`). */
export const RECEIVER_EVENT_TYPES = [
  "alert.firing",
  "alert.acknowledged",
  "alert.resolved",
  "alert.escalated",
] as const;
export type ReceiverEventType = (typeof RECEIVER_EVENT_TYPES)[number];

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
  })
  .superRefine((b, ctx) => {
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

import { z } from "zod";
import { AlertEscalationResponse } from "./escalation";
import { Instant, Slug } from "./common";

export const AlertResponse = z.object({
  id: z.string(),
  sloId: z.string(),
  sloName: z.string(),
  service: z.string(),
  region: z.string().nullable(),
  kind: z.string(),
  state: z.enum(["firing", "acknowledged", "resolved"]),
  severity: z.enum(["page", "ticket"]),
  priority: z.string().nullable(),
  firedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  slack: z.object({
    channel: z.string().nullable(),
    ts: z.string().nullable(),
    error: z.string().nullable(),
  }),
  events: z.array(z.object({ kind: z.string(), at: z.string(), detail: z.unknown() })).optional(),
  escalation: AlertEscalationResponse.nullable().optional(),
  /** What each receiver (Alertmanager, PagerDuty, Opsgenie, webhook) was sent of this alert, in the detail only. */
  deliveries: z
    .array(
      z.object({
        receiver: z.string(),
        kind: z.string(),
        type: z.string(),
        status: z.enum(["pending", "sent", "failed", "skipped"]),
        attempts: z.number().int(),
        sentAt: z.string().nullable(),
        error: z.string().nullable(),
      }),
    )
    .optional(),
});
export type AlertResponse = z.infer<typeof AlertResponse>;
/** A time in a query string: ISO-8601 with an offset, or epoch milliseconds. */
const QueryInstant = z
  .union([
    z.iso.datetime({ offset: true }),
    z.string().regex(/^\d{1,15}$/, "must be an ISO-8601 time or epoch milliseconds"),
  ])
  .transform((v) => new Date(/^\d+$/.test(v) ? Number(v) : v));
export const ListAlertsQuery = z.object({
  state: z.enum(["firing", "acknowledged", "resolved", "open"]).optional(),
  sloId: z.uuid().optional(),
  team: Slug.optional().describe("slug of the owning team"),
  service: Slug.optional().describe("service slug"),
  region: z.string().min(1).max(64).optional(),
  severity: z.enum(["page", "ticket"]).optional(),
  kind: z.enum(["burn_rate", "no_data"]).optional(),
  from: QueryInstant.optional().describe("alerts still open at or after this time"),
  to: QueryInstant.optional().describe("alerts fired before this time"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListAlertsQuery = z.infer<typeof ListAlertsQuery>;
export const SnoozeBody = z.strictObject({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
});
export const DEFAULT_SNOOZE_MINUTES = 120;

/** Silences stop notifications (not alert records) for a team, service, SLO or region, for a time. */
export const CreateSilenceBody = z
  .strictObject({
    team: Slug.optional().describe("team slug"),
    service: Slug.optional().describe("service slug"),
    sloId: z.uuid().optional(),
    region: z.string().min(1).max(64).optional().describe("region slug, e.g. prod-eu"),
    startsAt: Instant.optional().describe("default: now"),
    endsAt: Instant,
    reason: z.string().trim().min(3, "reason is required: say why notifications stop").max(2000),
  })
  .refine((b) => b.team || b.service || b.sloId || b.region, {
    message: "give at least one of team, service, sloId or region",
    path: ["team"],
  });
export type CreateSilenceBody = z.infer<typeof CreateSilenceBody>;
export const SilenceResponse = z.object({
  id: z.string(),
  team: z.string().nullable(),
  service: z.string().nullable(),
  sloId: z.string().nullable(),
  region: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  author: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type SilenceResponse = z.infer<typeof SilenceResponse>;
export const ListSilencesQuery = z.object({
  state: z.enum(["active", "upcoming", "expired", "all"]).default("all"),
  team: Slug.optional(),
  service: Slug.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const SlackSettingsResponse = z.object({
  configured: z.boolean().describe("a bot token is set: alerts are posted to Slack"),
  signingSecretConfigured: z.boolean().describe("the interactivity endpoint can verify Slack's signature"),
  interactivityUrl: z.string(),
  message: z.string(),
});
export type SlackSettingsResponse = z.infer<typeof SlackSettingsResponse>;
export const SlackTestResponse = z.object({ ok: z.literal(true), channel: z.string(), ts: z.string() });

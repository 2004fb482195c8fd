import { isTimeZone } from "@burnrate/slo-core";
import { z } from "zod";
import { CsvFormat, Slug } from "./common";
import { ObjectivePercent } from "./slo";

/** The SLIs an SLA is measured with: availability (the services' failure statuses) or latency. */
export const SlaSli = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("availability") }),
  z.strictObject({ type: z.literal("latency"), thresholdMs: z.number().int().positive().max(600_000) }),
]);
export type SlaSli = z.infer<typeof SlaSli>;

/** SLA periods are calendar periods: a month, a quarter, or four ISO weeks (book §11.2.6). */
export const SlaWindow = z.strictObject({
  type: z.literal("calendar"),
  period: z.enum(["month", "quarter", "4w"]),
  timeZone: z
    .string()
    .refine((tz) => isTimeZone(tz), "must be an IANA time zone such as 'Europe/Berlin'")
    .optional(),
});
export type SlaWindow = z.infer<typeof SlaWindow>;

export const SlaTier = z.strictObject({
  name: z.string().trim().min(1).max(100),
  objectivePercent: ObjectivePercent,
});

/** An endpoint-level SLA: it must hold for the contractual SLA to hold. */
export const SlaChildBody = z.strictObject({
  service: Slug,
  endpoint: z.string().min(1).max(500).describe("'METHOD /route', e.g. 'GET /cart'"),
  name: z.string().trim().min(1).max(200).optional(),
  objectivePercent: ObjectivePercent,
  sli: SlaSli.optional().describe("absent = the SLA's own SLI"),
});
export type SlaChildBody = z.infer<typeof SlaChildBody>;

const Threshold = z.number().int().min(1).max(1000);

/**
 * Who the threshold notices reach: the named stakeholder groups (their Slack channels, emails and users) instead
 * of the owning teams; with no group, the owning teams' error budget policy notify channel, else their channel.
 */
export const SlaNotify = z.strictObject({
  stakeholderGroups: z.array(z.string().uuid()).max(20).default([]),
});

export const CreateSlaBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  services: z.array(Slug).min(1).max(50),
  sli: SlaSli.default({ type: "availability" }),
  objectivePercent: ObjectivePercent,
  window: SlaWindow.default({ type: "calendar", period: "month" }),
  tiers: z.array(SlaTier).max(10).default([]),
  credits: z.string().max(4000).optional().describe("credits or penalties, as written in the contract"),
  customers: z.string().max(4000).optional().describe("the customers or segments it covers"),
  children: z.array(SlaChildBody).max(50).default([]),
  thresholds: z
    .array(Threshold)
    .max(10)
    .default([50, 80, 100])
    .describe("percent of the period budget consumed at which the owning teams are notified"),
  notify: SlaNotify.optional(),
});
export type CreateSlaBody = z.infer<typeof CreateSlaBody>;

export const PatchSlaBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(4000).nullable().optional(),
  services: z.array(Slug).min(1).max(50).optional(),
  sli: SlaSli.optional(),
  objectivePercent: ObjectivePercent.optional(),
  window: SlaWindow.optional(),
  tiers: z.array(SlaTier).max(10).optional(),
  credits: z.string().max(4000).nullable().optional(),
  customers: z.string().max(4000).nullable().optional(),
  children: z.array(SlaChildBody).max(50).optional(),
  thresholds: z.array(Threshold).max(10).optional(),
  notify: SlaNotify.optional(),
});
export type PatchSlaBody = z.infer<typeof PatchSlaBody>;

export const SlaChildResponse = z.object({
  id: z.string(),
  service: z.string(),
  team: z.string(),
  endpoint: z.string(),
  name: z.string().nullable(),
  objectivePercent: z.number(),
  sli: SlaSli,
});

export const SlaResponse = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  services: z.array(z.object({ slug: z.string(), name: z.string(), team: z.string() })),
  teams: z.array(z.string()),
  sli: SlaSli,
  objectivePercent: z.number(),
  window: SlaWindow,
  tiers: z.array(z.object({ name: z.string(), objectivePercent: z.number() })),
  credits: z.string().nullable(),
  customers: z.string().nullable(),
  children: z.array(SlaChildResponse),
  thresholds: z.array(z.number()),
  notify: z.object({ stakeholderGroups: z.array(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SlaResponse = z.infer<typeof SlaResponse>;

export const ListSlasQuery = z.object({
  service: Slug.optional(),
  team: Slug.optional(),
});

export const SlaStatusQuery = z.object({
  periods: z.coerce.number().int().min(1).max(26).default(3),
  format: CsvFormat,
});

/** One period of one SLA (contractual or endpoint-level), judged with slo-core like an SLO period. */
export const SlaPeriod = z.object({
  start: z.number(),
  end: z.number(),
  complete: z.boolean(),
  good: z.number(),
  total: z.number(),
  /** Fraction of the period budget left at the end of the period (or now); null without requests. */
  remainingAtEnd: z.number().nullable(),
  /** Percent of the period budget consumed (100 × (1 − remaining)). */
  depletionPercent: z.number().nullable(),
  adherence: z.enum(["fulfilled", "broken"]).nullable(),
  averageSpeedPercentPerHour: z.number().nullable(),
  maxSpeedPercentPerHour: z.number().nullable(),
  exhausted: z.boolean(),
  exhaustedAt: z.number().nullable(),
  timeToExhaustionHours: z.number().nullable(),
  /** Hourly remaining-budget curve of the period. */
  curve: z.array(z.object({ t: z.number(), remaining: z.number() })),
  /** Contractual periods only: the endpoint-level SLAs broken in the same period (book §11.2.8). */
  brokenChildren: z.array(z.string()).optional(),
});
export type SlaPeriod = z.infer<typeof SlaPeriod>;

export const SlaStatusRow = z.object({
  id: z.string(),
  kind: z.enum(["contractual", "endpoint"]),
  name: z.string(),
  service: z.string().nullable(),
  endpoint: z.string().nullable(),
  sli: SlaSli,
  objectivePercent: z.number(),
  periods: z.array(SlaPeriod),
});
export type SlaStatusRow = z.infer<typeof SlaStatusRow>;

export const SlaStatusResponse = z.object({
  id: z.string(),
  name: z.string(),
  window: SlaWindow,
  contractual: SlaStatusRow,
  children: z.array(SlaStatusRow),
  tiers: z.array(
    z.object({
      name: z.string(),
      objectivePercent: z.number(),
      periods: z.array(
        z.object({
          start: z.number(),
          end: z.number(),
          remainingAtEnd: z.number().nullable(),
          adherence: z.enum(["fulfilled", "broken"]).nullable(),
        }),
      ),
    }),
  ),
});
export type SlaStatusResponse = z.infer<typeof SlaStatusResponse>;

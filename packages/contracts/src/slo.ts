import { REVIEW_OUTCOMES, isTimeZone } from "@burnrate/slo-core";
import { z } from "zod";
import { SlackChannel } from "./catalog";
import { Slug } from "./common";

/**
 * How Burnrate signs in to a Prometheus source: a bearer token, or basic auth. Write-only: stored sealed
 * (BURNRATE_SECRET_KEY), never returned; the SLO shows `sourceAuth` (its kind, user name and last 4
 * characters) instead. Give null to remove it; leave it out of a change to keep it.
 */
export const PrometheusAuth = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("bearer"), token: z.string().trim().min(4).max(4000) }),
  z.strictObject({
    type: z.literal("basic"),
    username: z
      .string()
      .min(1)
      .max(200)
      .refine((u) => !u.includes(":"), "must not contain ':'"),
    password: z.string().min(4).max(1000),
  }),
]);
export type PrometheusAuth = z.infer<typeof PrometheusAuth>;

/** A Prometheus source's credentials as the API shows them: never the secret, only its last 4 characters. */
export const SourceAuthResponse = z.object({
  type: z.enum(["bearer", "basic"]),
  username: z.string().nullable(),
  secretHint: z.string(),
});
export type SourceAuthResponse = z.infer<typeof SourceAuthResponse>;

export const SliSpec = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("availability") }),
    z.strictObject({ type: z.literal("latency"), thresholdMs: z.number().int().positive().max(600_000) }),
    z.strictObject({
      type: z.literal("ratio"),
      good: z.string().min(1).max(2000),
      total: z.string().min(1).max(2000),
    }),
    /**
     * Good (or bad) and total events from a Prometheus server: each query is a counter series selector
     * (`http_requests_total{job="api",code=~"5.."}`, read as sum(increase(selector[window]))) or a rate
     * expression with the `{{.window}}` placeholder (Sloth's form, read as rate × window seconds).
     */
    z.strictObject({
      type: z.literal("prometheus"),
      url: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .refine((u) => !/^https?:\/\/[^/]*@/.test(u), "must not carry credentials"),
      good: z.string().trim().min(1).max(4000).optional(),
      bad: z.string().trim().min(1).max(4000).optional(),
      total: z.string().trim().min(1).max(4000),
      /** Write-only credentials (see PrometheusAuth); never stored in the specification itself. */
      auth: PrometheusAuth.nullable().optional(),
    }),
  ])
  .superRefine((s, ctx) => {
    if (s.type === "prometheus" && (s.good === undefined) === (s.bad === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["good"],
        message: "give exactly one of good or bad (a PromQL query)",
      });
  });
export type SliSpec = z.infer<typeof SliSpec>;

export const WindowSpec = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("rolling"), days: z.number().int().min(1).max(90).default(28) }),
  z.strictObject({
    type: z.literal("calendar"),
    period: z.enum(["4w", "month", "quarter"]),
    timeZone: z
      .string()
      .refine((tz) => isTimeZone(tz), "must be an IANA time zone such as 'Europe/Berlin'")
      .optional(),
  }),
]);
export type WindowSpec = z.infer<typeof WindowSpec>;

export const ObjectivePercent = z
  .number()
  .gt(0, "objectivePercent must be above 0")
  .lt(
    100,
    "objectivePercent must be below 100: a 100% objective leaves a zero error budget, so no change could ever be released",
  );

const Minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 30);
export const AlertTierSpec = z.strictObject({
  name: z.string().min(1).max(64),
  severity: z.enum(["page", "ticket"]),
  longWindowMinutes: Minutes,
  shortWindowMinutes: Minutes.nullable().default(null),
  /** Burn-rate factor; or give budgetPercent and the factor is derived from the SLO's period. */
  factor: z.number().positive().optional(),
  budgetPercent: z.number().positive().max(100).optional(),
  enabled: z.boolean().default(true),
});
/** An SLO whose service sent nothing for this long raises a no-data alert, unless `alerting.noDataMinutes` says otherwise. */
export const DEFAULT_NO_DATA_MINUTES = 30;

export const AlertingSpec = z.strictObject({
  /** Replace the default Workbook tiers. */
  tiers: z.array(AlertTierSpec).max(10).optional(),
  /** Names of default tiers to turn off ("fast-page", "slow-page", "fast-ticket", "slow-ticket"). */
  disabledTiers: z.array(z.string()).optional(),
  lowTraffic: z
    .strictObject({
      minShortWindowEvents: z.number().int().min(0).max(1_000_000),
      minLongWindowBad: z.number().int().min(0).max(1_000_000),
    })
    .optional(),
  /** Minutes without data before a no-data alert (absent: DEFAULT_NO_DATA_MINUTES). */
  noDataMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 7)
    .optional(),
  /** A Slack channel per severity (absent: the team's channel), e.g. pages to #payments-oncall. */
  slackChannels: z
    .strictObject({ page: SlackChannel.optional(), ticket: SlackChannel.optional() })
    .optional(),
});
export type AlertingSpec = z.infer<typeof AlertingSpec>;

export const Priority = z.enum(["P1", "P2", "P3", "P4", "P5"]);

export const CreateSloBody = z.strictObject({
  service: Slug,
  name: z.string().min(1).max(200),
  description: z.string().max(4000).optional(),
  endpoint: z
    .string()
    .max(500)
    .optional()
    .describe("'METHOD /route', e.g. 'GET /cart'; absent = the whole service"),
  sli: SliSpec,
  objectivePercent: ObjectivePercent,
  window: WindowSpec.default({ type: "rolling", days: 28 }),
  budgetingMethod: z.enum(["occurrences", "timeslices"]).default("occurrences"),
  priority: Priority.nullable().optional(),
  journeyStep: z.string().max(200).optional(),
  customerSegment: z.string().max(200).optional(),
  runbookUrl: z.url().optional(),
  alerting: AlertingSpec.optional(),
  reviewEveryDays: z
    .number()
    .int()
    .min(7)
    .max(730)
    .optional()
    .describe("how often the SLO is reviewed, in days (default 91: quarterly)"),
});
export type CreateSloBody = z.infer<typeof CreateSloBody>;

export const PatchSloBody = CreateSloBody.omit({ service: true })
  .partial()
  .extend({ reason: z.string().trim().min(3, "reason is required: say why the SLO changes").max(2000) });
export type PatchSloBody = z.infer<typeof PatchSloBody>;

export const SloResponse = z.object({
  id: z.string(),
  service: z.string(),
  team: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  endpoint: z.string().nullable(),
  sli: SliSpec,
  objectivePercent: z.number(),
  window: WindowSpec,
  budgetingMethod: z.enum(["occurrences", "timeslices"]),
  priority: Priority.nullable(),
  journeyStep: z.string().nullable(),
  customerSegment: z.string().nullable(),
  runbookUrl: z.string().nullable(),
  alerting: AlertingSpec.nullable(),
  /** A Prometheus source's credentials, masked (null: none). */
  sourceAuth: SourceAuthResponse.nullable().optional(),
  version: z.number(),
  /** How often the SLO is reviewed, in days */
  reviewEveryDays: z.number().int(),
  backfillPercent: z.number(),
  /** "explicit", or "default" when derived from the service's default SLO for this SLI type */
  kind: z.enum(["explicit", "default"]),
  sentence: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SloResponse = z.infer<typeof SloResponse>;

export const ReviewOutcome = z.enum(REVIEW_OUTCOMES);

/** A review of the SLO: keep it, or tighten or loosen its objective (a new version, with the review's reason). */
export const CreateSloReviewBody = z.strictObject({
  outcome: ReviewOutcome.describe("keep | tighten | loosen"),
  reason: z.string().trim().min(3, "reason is required: say why").max(2000),
  objectivePercent: ObjectivePercent.optional().describe(
    "the new objective: required to tighten (higher) or loosen (lower), absent to keep",
  ),
});
export type CreateSloReviewBody = z.infer<typeof CreateSloReviewBody>;

export const SloReviewResponse = z.object({
  id: z.string(),
  sloId: z.string(),
  outcome: ReviewOutcome,
  reason: z.string(),
  objectiveBefore: z.number(),
  objectiveAfter: z.number(),
  /** The SLO's version after the review (a new one when tightened or loosened) */
  version: z.number().int(),
  reviewedBy: z.string(),
  reviewedAt: z.string(),
});
export type SloReviewResponse = z.infer<typeof SloReviewResponse>;

/** Where an SLO's review stands: when the next is due, and whether it is overdue or coming up. */
export const SloReviewDueItem = z.object({
  sloId: z.string(),
  name: z.string(),
  service: z.string(),
  team: z.string(),
  reviewEveryDays: z.number().int(),
  lastReviewedAt: z.string().nullable(),
  dueAt: z.string(),
  state: z.enum(["ok", "due", "overdue"]),
  daysLeft: z.number().int(),
});
export type SloReviewDueItem = z.infer<typeof SloReviewDueItem>;

export const SloReviewsResponse = z.object({
  review: SloReviewDueItem,
  reviews: z.array(SloReviewResponse),
});
export type SloReviewsResponse = z.infer<typeof SloReviewsResponse>;

export const TeamReviewsResponse = z.object({
  generatedAt: z.string(),
  /** SLOs whose review is overdue or due in the next four weeks, soonest first */
  slos: z.array(SloReviewDueItem),
});
export type TeamReviewsResponse = z.infer<typeof TeamReviewsResponse>;

export const SloVersionResponse = z.object({
  version: z.number(),
  author: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  snapshot: z.record(z.string(), z.unknown()),
});

export const ListSlosQuery = z.object({
  includeDefaults: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  endpoint: z.string().max(500).optional(),
  service: Slug.optional(),
  team: Slug.optional(),
  sli: z.enum(["availability", "latency", "ratio"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

/** "99.9% of GET /cart requests succeed over 28 days" */
export function describeSlo(s: {
  objectivePercent: number;
  endpoint: string | null;
  service: string;
  sli: SliSpec;
  window: WindowSpec;
}): string {
  const scope = s.endpoint ? `${s.endpoint} requests` : `${s.service} requests`;
  const what =
    s.sli.type === "availability"
      ? "succeed"
      : s.sli.type === "latency"
        ? `complete within ${s.sli.thresholdMs} ms`
        : s.sli.type === "prometheus"
          ? s.sli.good !== undefined
            ? `are good in Prometheus ('${s.sli.good}' of '${s.sli.total}')`
            : `are not bad in Prometheus (bad '${s.sli.bad}' of '${s.sli.total}')`
          : `match '${s.sli.good}' (of '${s.sli.total}')`;
  const over =
    s.window.type === "rolling"
      ? `over ${s.window.days} days`
      : s.window.period === "4w"
        ? "per four calendar weeks"
        : `per calendar ${s.window.period}`;
  return `${trimPercent(s.objectivePercent)}% of ${scope} ${what} ${over}`;
}
export function trimPercent(p: number): string {
  return String(Number(p.toPrecision(10)));
}

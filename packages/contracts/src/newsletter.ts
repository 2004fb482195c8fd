import { z } from "zod";

const NullableNum = z.number().nullable();
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** When and where a weekly availability newsletter is sent. */
export const NewsletterSettings = z.object({
  enabled: z.boolean(),
  weekday: z
    .number()
    .int()
    .min(1)
    .max(7)
    .describe("ISO weekday of the local send day: 1 = Monday … 7 = Sunday"),
  time: z.string().regex(HHMM, "time must be HH:MM").describe("local send time, HH:MM"),
  timeZone: z.string().min(1).max(64).describe("IANA time zone, e.g. Europe/Berlin"),
  slackChannel: z
    .string()
    .min(1)
    .max(80)
    .nullable()
    .describe("a channel of its own; null posts to the team's channel (org-wide: nowhere)"),
  emails: z.array(z.string().email().max(254)).max(50),
});
export type NewsletterSettings = z.infer<typeof NewsletterSettings>;
export const PutNewsletterSettingsBody = NewsletterSettings.partial();

export const NewsletterQuery = z.object({
  week: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "week must be YYYY-MM-DD")
    .optional()
    .describe("any local day of the week to show (YYYY-MM-DD); the last complete week when absent"),
});

export const NewsletterSloLine = z.object({
  sloId: z.string(),
  name: z.string(),
  service: z.string(),
  team: z.string(),
  objectivePercent: z.number(),
  /** The week's requests (or minutes, for timeslices) and good ones, every region together. */
  weekGood: z.number(),
  weekTotal: z.number(),
  weekSli: NullableNum,
  /** The week's SLI met the objective (null: no data in the week). */
  met: z.boolean().nullable(),
  /** Share of the week's own error budget its bad events used (1 = exactly the objective). */
  weekBudgetSpent: NullableNum,
  /** Budget left of the SLO's period at the week's end: what the status API answers `at` that instant. */
  budgetRemaining: NullableNum,
  /** The previous week's SLI, for the trend. */
  previousWeekSli: NullableNum,
});
export type NewsletterSloLine = z.infer<typeof NewsletterSloLine>;

/** The week's SLI against the previous week's, as an arrow after the figure (empty when either week has no data). */
export function weekTrendArrow(l: Pick<NewsletterSloLine, "weekSli" | "previousWeekSli">): string {
  if (l.weekSli === null || l.previousWeekSli === null) return "";
  return l.weekSli > l.previousWeekSli ? " ↑" : l.weekSli < l.previousWeekSli ? " ↓" : " →";
}

export const NewsletterContent = z.object({
  scope: z.object({ team: z.string().nullable(), name: z.string() }),
  week: z.object({
    firstDay: z.string(),
    lastDay: z.string(),
    start: z.number(),
    end: z.number(),
    timeZone: z.string(),
  }),
  summary: z.object({ slos: z.number(), met: z.number(), broken: z.number(), noData: z.number() }),
  slos: z.array(NewsletterSloLine),
  /** The SLOs whose week used the most budget (at most 5, broken or not). */
  worstBurns: z.array(NewsletterSloLine),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.string().nullable(),
      startedAt: z.string(),
      resolvedAt: z.string().nullable(),
    }),
  ),
  /** Postmortems not published and action items not done whose due time had passed (at the week's end, or now). */
  overdue: z
    .object({
      postmortems: z.array(
        z.object({
          incidentId: z.string(),
          incidentNumber: z.number().int(),
          title: z.string(),
          dueAt: z.string(),
        }),
      ),
      actionItems: z.array(
        z.object({
          incidentId: z.string(),
          incidentNumber: z.number().int(),
          title: z.string(),
          dueDate: z.string(),
          state: z.string(),
        }),
      ),
    })
    .default({ postmortems: [], actionItems: [] }),
  /** SLO changes made in the week (each a new version), with the reason given for each. */
  changes: z
    .array(
      z.object({
        sloId: z.string(),
        name: z.string(),
        service: z.string(),
        version: z.number().int(),
        reason: z.string(),
        at: z.string(),
      }),
    )
    .default([]),
  /** Error budget policy reviews overdue at the week's end or due in the four weeks after it. */
  policyReviews: z.array(z.object({ team: z.string(), dueOn: z.string(), overdue: z.boolean() })).default([]),
  /** SLO reviews overdue at the week's end or due in the four weeks after it (each SLO's own cadence). */
  sloReviews: z
    .array(
      z.object({
        sloId: z.string(),
        name: z.string(),
        service: z.string(),
        dueOn: z.string(),
        overdue: z.boolean(),
      }),
    )
    .default([]),
  link: z.string(),
});
export type NewsletterContent = z.infer<typeof NewsletterContent>;

export const NewsletterPreviewResponse = z.object({
  content: NewsletterContent,
  settings: NewsletterSettings,
  /** When the next one is sent (ISO) under the settings, or null when disabled. */
  nextSendAt: z.string().nullable(),
  slack: z.object({ text: z.string(), blocks: z.array(z.record(z.string(), z.unknown())) }),
  email: z.object({ subject: z.string(), text: z.string(), html: z.string() }),
});
export type NewsletterPreviewResponse = z.infer<typeof NewsletterPreviewResponse>;

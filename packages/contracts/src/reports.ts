import { z } from "zod";
import { CsvFormat, Instant, Slug } from "./common";
import { CreateSloBody } from "./slo";
import { ExhaustionOutlook, SloSeriesResponse, SloStatusResponse } from "./status";

const NullableNum = z.number().nullable();
const SliType = z.enum(["availability", "latency", "ratio", "prometheus"]);

/** Filters shared by the dashboards' report endpoints (all optional). */
export const ReportFilterQuery = z.object({
  team: Slug.optional().describe("team slug"),
  service: Slug.optional().describe("service slug"),
  region: z.string().min(1).max(64).optional().describe("region slug, e.g. prod-eu"),
  sli: SliType.optional(),
  includeDefaults: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe("also report default SLOs (derived per endpoint from the service's defaults)"),
});
export type ReportFilterQuery = z.infer<typeof ReportFilterQuery>;

/** "firing" (an open alert), "exhausted" (budget ≤ 0), "low" (< 25% left), "healthy", or "no-data". */
export const SloState = z.enum(["firing", "exhausted", "low", "healthy", "no-data"]);
export type SloState = z.infer<typeof SloState>;

const SloRef = {
  sloId: z.string(),
  name: z.string(),
  service: z.string(),
  team: z.string(),
  endpoint: z.string().nullable(),
  sli: SliType,
  objectivePercent: z.number(),
  kind: z.enum(["explicit", "default"]),
};

export const OverviewRow = z.object({
  ...SloRef,
  sentence: z.string(),
  /** null: the SLO has no data in any region yet. */
  region: z.string().nullable(),
  good: z.number(),
  total: z.number(),
  sliRatio: NullableNum,
  remainingFraction: NullableNum,
  burnRate1h: NullableNum,
  burnRate6h: NullableNum,
  timeToExhaustionHours: NullableNum,
  exhaustion: ExhaustionOutlook.nullable(),
  firing: z.boolean(),
  alertSeverity: z.enum(["page", "ticket"]).nullable(),
  state: SloState,
});
export type OverviewRow = z.infer<typeof OverviewRow>;
export const OverviewResponse = z.object({
  generatedAt: z.string(),
  rows: z.array(OverviewRow),
  /** Choices for the pickers: every team, service and region known (not just the filtered ones). */
  teams: z.array(z.string()),
  services: z.array(z.object({ slug: z.string(), team: z.string() })),
  regions: z.array(z.string()),
});
export type OverviewResponse = z.infer<typeof OverviewResponse>;

/** The overview's filters, and CSV for a download link. */
export const OverviewQuery = ReportFilterQuery.extend({ format: CsvFormat });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

export const PeriodsQuery = ReportFilterQuery.extend({
  periods: z.coerce.number().int().min(1).max(13).default(6).describe("how many periods, newest included"),
  format: CsvFormat,
});
/** A period's calendar days in the SLO's own time zone (rolling windows: UTC). */
export const PeriodDatesDto = z.object({
  timeZone: z.string(),
  /** "YYYY-MM-DD" of the first and the last day (the period's end is exclusive). */
  firstDay: z.string(),
  lastDay: z.string(),
  days: z.number(),
});
/** When the budget ran out, as read in the SLO's zone, and how much history a rolling window had. */
const ExhaustionDates = {
  /** "YYYY-MM-DD" in the SLO's zone of the day the budget ran out. */
  exhaustedOn: z.string().nullable(),
  /** Which day of the period (1 = the first, never past the last) the budget ran out on. */
  exhaustedDay: NullableNum,
  /**
   * A rolling window with less data than its length: the days of data it has (timeToExhaustionHours then
   * counts from the first data, not from the window's start). null when the window is covered.
   */
  historyDays: NullableNum,
};
export const PeriodCell = z.object({
  start: z.number(),
  end: z.number(),
  /** false for the current period (still running). */
  complete: z.boolean(),
  /** Budget left at the period's end (or now); null when the period has no data. */
  remainingAtEnd: NullableNum,
  adherence: z.enum(["fulfilled", "broken"]).nullable(),
  /** The budget reached 0 before the period ended (premature exhaustion, book §11.2.5). */
  exhausted: z.boolean(),
  exhaustedAt: NullableNum,
  /** Hours from the period start (or, with less history, the first data) to exhaustion. */
  timeToExhaustionHours: NullableNum,
  dates: PeriodDatesDto,
  ...ExhaustionDates,
});
export type PeriodCell = z.infer<typeof PeriodCell>;
export const PeriodsRow = z.object({
  ...SloRef,
  region: z.string().nullable(),
  windowLabel: z.string(),
  cells: z.array(PeriodCell),
});
export type PeriodsRow = z.infer<typeof PeriodsRow>;
export const PeriodsResponse = z.object({ periods: z.number(), rows: z.array(PeriodsRow) });
export type PeriodsResponse = z.infer<typeof PeriodsResponse>;

export const IndicatorWindow = z.enum(["current", "previous", "year"]);
export const IndicatorsQuery = ReportFilterQuery.extend({
  window: IndicatorWindow.default("current").describe(
    "current or previous error-budget period, or the last 365 days",
  ),
});
export const DepletionEpisodeDto = z.object({
  start: z.number(),
  end: z.number(),
  depletedPercent: z.number(),
  speedPercentPerHour: z.number(),
});
export const DepletionRow = z.object({
  ...SloRef,
  region: z.string(),
  period: z.object({ start: z.number(), end: z.number() }),
  complete: z.boolean(),
  remainingAtEnd: NullableNum,
  adherence: z.enum(["fulfilled", "broken"]).nullable(),
  averageSpeedPercentPerHour: NullableNum,
  maxSpeedPercentPerHour: NullableNum,
  episodes: z.array(DepletionEpisodeDto),
  exhausted: z.boolean(),
  exhaustedAt: NullableNum,
  timeToExhaustionHours: NullableNum,
  dates: PeriodDatesDto,
  ...ExhaustionDates,
});
export type DepletionRow = z.infer<typeof DepletionRow>;
export const SloByServiceRow = z.object({
  ...SloRef,
  windowLabel: z.string(),
  periodDays: z.number(),
  /** Days left in the current period; null for rolling windows (they never end). */
  daysLeft: NullableNum,
});
export const EndpointStatsRow = z.object({
  service: z.string(),
  team: z.string(),
  endpoint: z.string(),
  region: z.string(),
  total: z.number(),
  good: z.number(),
  availability: NullableNum,
  /** Upper bound of the histogram bucket holding the quantile (null past the last bound or without data). */
  p50Ms: NullableNum,
  p95Ms: NullableNum,
  p99Ms: NullableNum,
});
export type EndpointStatsRow = z.infer<typeof EndpointStatsRow>;
export const IndicatorsResponse = z.object({
  window: z.object({ kind: IndicatorWindow, from: z.number(), to: z.number() }),
  slosByService: z.array(SloByServiceRow),
  depletion: z.array(DepletionRow),
  leastAvailable: z.array(EndpointStatsRow),
  slowest: z.array(EndpointStatsRow),
});
export type IndicatorsResponse = z.infer<typeof IndicatorsResponse>;

/** The SLO editor's proposal: what the numbers depend on. */
export const PreviewBody = CreateSloBody.pick({
  service: true,
  endpoint: true,
  sli: true,
  objectivePercent: true,
  window: true,
  budgetingMethod: true,
  alerting: true,
});
export type PreviewBody = z.infer<typeof PreviewBody>;
/**
 * The preview: the series the SLO page's charts draw (GET /slos/:id/series without the SLO's id and region, as
 * nothing is saved yet), and what the editor shows beside it.
 */
export const PreviewResponse = SloSeriesResponse.omit({ sloId: true, region: true }).extend({
  /** The status the SLO would show now, all regions together (same numbers as GET /slos/:id/status). */
  status: SloStatusResponse.pick({ period: true, sli: true, errorBudget: true }),
  /** What the tier set would have sent over the last 28 days (alert replay, no acks or snoozes). */
  replay: z.object({
    pages: z.number(),
    tickets: z.number(),
    /** The minute each episode fired (epoch ms), decided every minute as the worker decides. */
    firedAt: z.array(z.number()),
    /** Each episode: the minute it fired, the minute it resolved (null: still firing now), its highest severity. */
    episodes: z.array(
      z.object({
        firedAt: z.number(),
        resolvedAt: z.number().nullable(),
        severity: z.enum(["page", "ticket"]),
      }),
    ),
    /** Every notification the worker would have recorded, at the minute it would have decided it. */
    events: z.array(
      z.object({
        at: z.number(),
        kind: z.enum(["fired", "refired", "escalated", "deescalated", "resolved", "acknowledged", "snoozed"]),
      }),
    ),
  }),
  /** Book §6.6.2: is the objective stricter than every day of the last 28? */
  guardrail: z.object({
    stricterThanHistory: z.boolean(),
    bestSli: NullableNum,
    worstSli: NullableNum,
    daysBelowObjective: z.number(),
    daysWithData: z.number(),
  }),
  dailySlis: z.array(z.object({ day: z.number(), sli: NullableNum })),
});
export type PreviewResponse = z.infer<typeof PreviewResponse>;

/** Filters of the incident and on-call indicators (book §11.2.10, §11.2.11). */
const OpsFilter = {
  team: Slug.optional().describe("team slug"),
  service: Slug.optional().describe("service slug"),
  from: Instant.optional().describe(
    "start of the window (default: 365 days before `to` for TTR, 28 days for on-call)",
  ),
  to: Instant.optional().describe("end of the window (default: now)"),
};

export const TtrTrendQuery = z.object({
  ...OpsFilter,
  region: Slug.optional().describe("region slug: incidents that touched it"),
  scale: z
    .enum(["4w", "month", "quarter"])
    .default("4w")
    .describe("period length: 4-week error-budget periods (ISO weeks), calendar months or quarters, UTC"),
});
export type TtrTrendQuery = z.infer<typeof TtrTrendQuery>;

const TtrPeriodDto = z.object({
  start: z.number(),
  end: z.number(),
  /** TTR of each incident that started in the period, minutes */
  ttrMinutes: z.array(z.number()),
  count: z.number(),
  meanMinutes: NullableNum,
  medianMinutes: NullableNum,
});

const TtrTrendDto = z.object({
  periods: z.array(TtrPeriodDto),
  count: z.number(),
  meanMinutes: NullableNum,
  medianMinutes: NullableNum,
  slopePerIncident: NullableNum.describe("least-squares slope, minutes per incident"),
  slopePerPeriod: NullableNum.describe("least-squares slope, minutes per period"),
  direction: z.enum(["up", "down", "flat"]).nullable(),
});

export const TtrTrendResponse = z.object({
  from: z.number(),
  to: z.number(),
  scale: z.enum(["4w", "month", "quarter"]),
  /** Every incident matching the filters */
  overall: TtrTrendDto,
  /** The same per team (an incident touching two teams counts in both) */
  teams: z.array(TtrTrendDto.extend({ team: z.string() })),
  /** Resolved incidents in the window, each a point of the graph */
  incidents: z.array(
    z.object({
      id: z.string(),
      number: z.number(),
      title: z.string(),
      startedAt: z.number(),
      resolvedAt: z.number(),
      ttrMinutes: z.number(),
      teams: z.array(z.string()),
      services: z.array(z.string()),
    }),
  ),
  /** Incidents started in the window and still open (no TTR yet) */
  open: z.number(),
});
export type TtrTrendResponse = z.infer<typeof TtrTrendResponse>;

export const OnCallIndicatorsQuery = z.object(OpsFilter);
export type OnCallIndicatorsQuery = z.infer<typeof OnCallIndicatorsQuery>;

const WeekCoverageDto = z.object({
  days: z.array(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])),
  /** [from, to) in minutes after midnight UTC */
  ranges: z.array(z.object({ from: z.number(), to: z.number() })),
});

export const OnCallIndicatorsResponse = z.object({
  from: z.number(),
  to: z.number(),
  /** Monday 00:00 UTC of the week whose hours the coverage shows (the week holding `to`) */
  referenceWeek: z.number(),
  teams: z.array(
    z.object({
      team: z.string(),
      rotations: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          timeZone: z.string(),
          coverage: z.array(WeekCoverageDto),
          hoursPerWeek: z.number(),
          services: z.array(z.string()),
          people: z.number(),
          pages: z.number(),
          shifts: z.number(),
          pagesPerShift: NullableNum,
          outsideCoverage: z.number(),
          medianAckMinutes: NullableNum,
          unacknowledged: z.number(),
        }),
      ),
      services: z.array(
        z.object({
          service: z.string(),
          coverage: z.array(WeekCoverageDto),
          uncovered: z.array(WeekCoverageDto),
          hoursPerWeek: z.number(),
          hoursPerDay: z.number(),
          aroundTheClock: z.boolean(),
          rotations: z.number(),
        }),
      ),
      peopleOnRotations: z.number(),
      distinctPeople: z.number(),
    }),
  ),
});
export type OnCallIndicatorsResponse = z.infer<typeof OnCallIndicatorsResponse>;

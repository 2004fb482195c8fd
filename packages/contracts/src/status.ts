import { DAY_MS, MINUTE_MS } from "@burnrate/slo-core";
import { z } from "zod";

export const BURN_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
const NullableNum = z.number().nullable();

/** What the projection at the current burn rate says: see slo-core's exhaustionOutlook. */
export const ExhaustionOutlook = z
  .enum(["exhausted", "within_period", "beyond_period", "not_burning"])
  .describe(
    "the time to exhaustion read against the period: beyond_period when, at this rate, the budget lasts past the period's end (a rolling window: its length)",
  );
export type ExhaustionOutlook = z.infer<typeof ExhaustionOutlook>;

export const SloStatusResponse = z.object({
  sloId: z.string(),
  region: z.string().nullable(),
  period: z.object({ start: z.string(), end: z.string() }),
  objectivePercent: z.number(),
  sli: z.object({ good: z.number(), total: z.number(), ratio: NullableNum }),
  errorBudget: z.object({
    allowed: z.number(),
    bad: z.number(),
    remainingFraction: z.number(),
    unit: z
      .enum(["requests", "minutes"])
      .describe(
        "unit of allowed and bad: requests (occurrences) or minutes (timeslices: a bad minute is one whose SLI is below the objective); remainingFraction = 1 - bad / allowed",
      ),
  }),
  burnRates: z.object(
    Object.fromEntries(BURN_WINDOWS.map((w) => [w, NullableNum])) as Record<
      (typeof BURN_WINDOWS)[number],
      typeof NullableNum
    >,
  ),
  timeToExhaustionHours: NullableNum,
  exhaustion: ExhaustionOutlook,
  dataUntil: z.string().nullable(),
  historyDays: NullableNum.describe(
    "a rolling window with less data than its length: the days of data it has (the window's numbers cover only these); null when the window is covered",
  ),
  tiers: z.array(
    z.object({
      name: z.string(),
      severity: z.enum(["page", "ticket"]),
      factor: z.number(),
      longBurnRate: NullableNum,
      shortBurnRate: NullableNum,
      /** the tier's windows by name ("1h", "5m"); shortWindow is null for a single-window tier */
      longWindow: z.string(),
      shortWindow: z.string().nullable(),
      firing: z.boolean(),
    }),
  ),
  regions: z.array(z.string()),
  source: z
    .object({
      type: z.literal("prometheus"),
      evaluatedAt: z.string().nullable(),
      lastOkAt: z.string().nullable(),
      lastError: z.string().nullable(),
      lastErrorAt: z.string().nullable(),
      failures: z.number().int(),
    })
    .optional()
    .describe(
      "a Prometheus-sourced SLO: its numbers are those of its last evaluation (evaluatedAt: null when it has not been evaluated yet), pulled from Prometheus; lastError and failures tell why newer numbers are missing",
    ),
});
export type SloStatusResponse = z.infer<typeof SloStatusResponse>;

export const StatusQuery = z.object({
  region: z.string().max(64).optional(),
  at: z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().nonnegative()]).optional(),
});

export const SeriesQuery = z.object({
  region: z.string().max(64).optional(),
  from: z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().nonnegative()]).optional(),
  to: z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().nonnegative()]).optional(),
  step: z.coerce
    .number()
    .int()
    .min(MINUTE_MS)
    .max(DAY_MS)
    .refine((ms) => ms % MINUTE_MS === 0, {
      message: `must be a whole number of minutes (a multiple of ${MINUTE_MS} ms): SLI data is kept per minute`,
    })
    .optional()
    .describe("step in ms, a whole number of minutes; chosen from the range when absent"),
});

export const SeriesPoint = z.object({
  t: z.number(),
  good: z.number(),
  total: z.number(),
  sli: NullableNum,
  remaining: NullableNum,
  burnRate1h: NullableNum,
  /** burn rate over every tier window ending at `t`, keyed by the window's name ("5m", "1h", "3d"…) */
  burnRates: z.record(z.string(), NullableNum),
});
export const SloSeriesResponse = z.object({
  sloId: z.string(),
  region: z.string().nullable(),
  from: z.number(),
  to: z.number(),
  stepMs: z.number(),
  objectivePercent: z.number(),
  points: z.array(SeriesPoint),
  periods: z.array(z.object({ start: z.number(), end: z.number() })),
  /** each tier's factor and the windows (keys of a point's burnRates) it is compared with */
  thresholds: z.array(
    z.object({
      tier: z.string(),
      severity: z.string(),
      factor: z.number(),
      longWindow: z.string(),
      shortWindow: z.string().nullable(),
    }),
  ),
  /** deployments, game days, maintenance windows (endsAt) and comments of the service in the range */
  deployments: z.array(
    z.object({
      at: z.number(),
      version: z.string(),
      kind: z.string(),
      region: z.string().nullable(),
      endsAt: z.number().nullable(),
    }),
  ),
});
export type SloSeriesResponse = z.infer<typeof SloSeriesResponse>;

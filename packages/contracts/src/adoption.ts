import { ADOPTION_PHASES, WESTRUM_ASPECTS } from "@burnrate/slo-core";
import { z } from "zod";
import { Slug } from "./common";

export const AdoptionPhase = z.enum(ADOPTION_PHASES);
export type AdoptionPhase = z.infer<typeof AdoptionPhase>;

const Day = z.iso.date().refine((d) => d >= "1970-01-01", { message: "must not be before 1970-01-01" });

export const AdoptionQuery = z.object({
  team: Slug.optional().describe("only this team"),
  quarters: z.coerce.number().int().min(1).max(12).default(4).describe("quarters in the trend"),
  format: z
    .enum(["json", "csv"])
    .optional()
    .describe("csv: the same as `Accept: text/csv` (for a download link)"),
});
export type AdoptionQuery = z.infer<typeof AdoptionQuery>;

export const AdoptionParams = z.object({ slug: Slug, phase: AdoptionPhase });

/** A phase entered by hand: reached on a day (not in the future), or not yet with a target date. */
export const PutMilestoneBody = z
  .strictObject({
    reached: z.boolean(),
    reachedOn: Day.nullable().optional().describe("the day it was reached; defaults to today when reached"),
    targetDate: Day.nullable().optional().describe("when the team means to reach it"),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .refine((b) => b.reached || !b.reachedOn, {
    message: "reachedOn is only for a reached phase",
    path: ["reachedOn"],
  });
export type PutMilestoneBody = z.infer<typeof PutMilestoneBody>;

export const MilestoneResponse = z.object({
  team: z.string(),
  phase: AdoptionPhase,
  reached: z.boolean(),
  reachedOn: z.string().nullable(),
  targetDate: z.string().nullable(),
  note: z.string().nullable(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type MilestoneResponse = z.infer<typeof MilestoneResponse>;

const PhaseState = z.enum(["reached", "open", "overdue"]);

export const AdoptionResponse = z.object({
  generatedAt: z.string(),
  today: z.string(),
  phases: z.array(
    z.object({
      phase: AdoptionPhase,
      label: z.string(),
      derivedFrom: z.string().nullable(),
      roadMap: z.boolean(),
      reached: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
  teams: z.array(
    z.object({
      team: z.string(),
      name: z.string(),
      reachedCount: z.number().int(),
      phases: z.array(
        z.object({
          phase: AdoptionPhase,
          state: PhaseState,
          source: z.enum(["derived", "manual"]).nullable(),
          reachedOn: z.string().nullable(),
          targetDate: z.string().nullable(),
          note: z.string().nullable(),
          updatedBy: z.string().nullable(),
        }),
      ),
    }),
  ),
  trend: z.array(
    z.object({
      quarter: z.string(),
      counts: z.record(z.string(), z.number().int()).describe("teams per phase by the quarter's end"),
    }),
  ),
  /** The teams' culture self-assessments over the same quarters: teams that answered, mean per aspect */
  culture: z.array(
    z.object({
      quarter: z.string(),
      teams: z.number().int(),
      means: z.record(z.string(), z.number().nullable()),
      mean: z.number().nullable(),
    }),
  ),
});
export type AdoptionResponse = z.infer<typeof AdoptionResponse>;

export const WestrumAspect = z.enum(WESTRUM_ASPECTS);
export type WestrumAspect = z.infer<typeof WestrumAspect>;

export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, "a quarter like 2026-Q4");

export const CultureParams = z.object({ slug: Slug, quarter: Quarter });

const Score = z.number().int().min(1).max(5);

/** One quarter's answers of a team: each of Westrum's six aspects scored 1 (not at all) to 5 (fully). */
export const PutCultureBody = z.strictObject({
  cooperation: Score,
  messengers: Score,
  responsibilities: Score,
  bridging: Score,
  failure: Score,
  novelty: Score,
  note: z.string().trim().max(2000).nullable().optional(),
});
export type PutCultureBody = z.infer<typeof PutCultureBody>;

export const CultureAnswer = z.object({
  team: z.string(),
  quarter: z.string(),
  scores: z.object({
    cooperation: z.number().int(),
    messengers: z.number().int(),
    responsibilities: z.number().int(),
    bridging: z.number().int(),
    failure: z.number().int(),
    novelty: z.number().int(),
  }),
  mean: z.number(),
  type: z.enum(["pathological", "bureaucratic", "generative"]),
  note: z.string().nullable(),
  answeredBy: z.string(),
  updatedAt: z.string(),
});
export type CultureAnswer = z.infer<typeof CultureAnswer>;

export const CultureResponse = z.object({
  team: z.string(),
  currentQuarter: z.string(),
  aspects: z.array(z.object({ aspect: WestrumAspect, label: z.string(), statement: z.string() })),
  /** The team's answers, one per quarter, oldest first */
  quarters: z.array(CultureAnswer),
});
export type CultureResponse = z.infer<typeof CultureResponse>;

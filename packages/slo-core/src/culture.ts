/**
 * A team's self-assessment of its culture with Westrum's six aspects, scored 1-5 each, once a quarter. It
 * assesses the team's practice, never individuals. The statements map each aspect to SRE practice.
 */

export const WESTRUM_ASPECTS = [
  "cooperation",
  "messengers",
  "responsibilities",
  "bridging",
  "failure",
  "novelty",
] as const;
export type WestrumAspect = (typeof WESTRUM_ASPECTS)[number];

export interface WestrumAspectInfo {
  aspect: WestrumAspect;
  label: string;
  /** What a 5 looks like in SRE terms, as the team answers it */
  statement: string;
}

export const WESTRUM_ASPECT_INFO: readonly WestrumAspectInfo[] = [
  {
    aspect: "cooperation",
    label: "High cooperation",
    statement:
      "Operations, development and product management cooperate closely, and leadership backs SRE as the way the organisation operates.",
  },
  {
    aspect: "messengers",
    label: "Messengers trained",
    statement:
      "Reliability is quantified by SLOs; when a budget runs out the owning team learns how to improve, on-call people are trained to act fast, and postmortems are for learning.",
  },
  {
    aspect: "responsibilities",
    label: "Risks and responsibilities shared",
    statement:
      "Operations, development and product agree together on user-centric SLIs, SLO thresholds and the on-call set-up, so reliability-versus-feature decisions are shared.",
  },
  {
    aspect: "bridging",
    label: "Bridging encouraged",
    statement:
      "SLO and SLA definitions and adherence are visible across the organisation; dependent teams talk about reliability with data and share practices.",
  },
  {
    aspect: "failure",
    label: "Failure leads to inquiry",
    statement: "Incidents get blameless postmortems whose learnings are shared across the organisation.",
  },
  {
    aspect: "novelty",
    label: "Novelty implemented",
    statement:
      "Learnings from operations, outages and postmortems become reliability work, prioritised against features by budget depletion.",
  },
];

export type WestrumScores = Record<WestrumAspect, number>;

export type CultureType = "pathological" | "bureaucratic" | "generative";

/** The mean of the six scores. */
export function cultureMean(s: WestrumScores): number {
  return WESTRUM_ASPECTS.reduce((a, k) => a + s[k], 0) / WESTRUM_ASPECTS.length;
}

/**
 * Westrum's typology from the mean score: below 2.5 power-oriented (pathological), below 3.5 rule-oriented
 * (bureaucratic), otherwise performance-oriented (generative).
 */
export function cultureType(mean: number): CultureType {
  return mean < 2.5 ? "pathological" : mean < 3.5 ? "bureaucratic" : "generative";
}

/**
 * The organisation's trend: per quarter, how many teams answered and the mean of each aspect over them (null
 * when none answered that quarter).
 */
export function cultureTrend(
  answers: { quarter: string; scores: WestrumScores }[],
  quarters: string[],
): { quarter: string; teams: number; means: Record<WestrumAspect, number | null>; mean: number | null }[] {
  return quarters.map((quarter) => {
    const qs = answers.filter((a) => a.quarter === quarter);
    const means = Object.fromEntries(
      WESTRUM_ASPECTS.map((k) => [k, qs.length ? qs.reduce((a, x) => a + x.scores[k], 0) / qs.length : null]),
    ) as Record<WestrumAspect, number | null>;
    return {
      quarter,
      teams: qs.length,
      means,
      mean: qs.length ? qs.reduce((a, x) => a + cultureMean(x.scores), 0) / qs.length : null,
    };
  });
}

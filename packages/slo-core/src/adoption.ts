/**
 * SRE adoption phases per team (book §6.1, §6.12, §7.8, §8.8): what each team has reached, derived from the
 * platform's own data where it can be and entered by hand where it cannot. It tracks the practice of teams,
 * never of individuals. Dates are calendar dates, "YYYY-MM-DD" (UTC), compared as strings.
 */

export const ADOPTION_PHASES = [
  "services_registered",
  "logging_apm",
  "http_codes_fixed",
  "first_slos",
  "alerts_to_slack",
  "reacting_to_alerts",
  "breach_analysis",
  "oncall_setup",
  "error_budget_policy",
  "stakeholders_defined",
  "status_broadcast",
  "status_page_live",
  "slos_reviewed",
] as const;
export type AdoptionPhase = (typeof ADOPTION_PHASES)[number];

export interface AdoptionPhaseInfo {
  phase: AdoptionPhase;
  label: string;
  /** How the platform sees it by itself; null = entered by hand only */
  derivedFrom: string | null;
  /** On the book's road map for all teams (§6.12) rather than the first steps */
  roadMap: boolean;
}

export const ADOPTION_PHASE_INFO: readonly AdoptionPhaseInfo[] = [
  {
    phase: "services_registered",
    label: "Services registered",
    derivedFrom: "the team's first service",
    roadMap: false,
  },
  {
    phase: "logging_apm",
    label: "Logging and APM connected",
    derivedFrom: "requests received for one of its services",
    roadMap: false,
  },
  { phase: "http_codes_fixed", label: "HTTP codes fixed", derivedFrom: null, roadMap: false },
  { phase: "first_slos", label: "First SLOs", derivedFrom: "the team's first SLO", roadMap: false },
  {
    phase: "alerts_to_slack",
    label: "Alerts to Slack",
    derivedFrom: "the first alert posted to Slack",
    roadMap: false,
  },
  {
    phase: "reacting_to_alerts",
    label: "Reacting to alerts",
    derivedFrom: "the first alert acknowledged",
    roadMap: false,
  },
  { phase: "breach_analysis", label: "Structured breach analysis", derivedFrom: null, roadMap: false },
  {
    phase: "oncall_setup",
    label: "On-call set up",
    derivedFrom: "the first on-call schedule covering the team",
    roadMap: true,
  },
  {
    phase: "error_budget_policy",
    label: "Error budget policy agreed",
    derivedFrom: "a policy signed by development, operations and the product owner",
    roadMap: true,
  },
  { phase: "stakeholders_defined", label: "Stakeholders defined", derivedFrom: null, roadMap: true },
  { phase: "status_broadcast", label: "Status broadcast", derivedFrom: null, roadMap: true },
  {
    phase: "status_page_live",
    label: "Status page live",
    derivedFrom: "a status page showing one of its services",
    roadMap: true,
  },
  {
    phase: "slos_reviewed",
    label: "SLOs reviewed on time",
    derivedFrom: "SLO reviews: at least one recorded and no SLO of the team overdue for its review",
    roadMap: true,
  },
];

/** What the platform's data says: reached or not, and since when where it knows. */
export interface DerivedPhase {
  reached: boolean;
  /** null when reached but the day is unknown */
  since: string | null;
}

/** A phase entered by hand: reached (or not yet, with a target date), by whom and when. */
export interface ManualMilestone {
  phase: AdoptionPhase;
  reached: boolean;
  reachedOn: string | null;
  targetDate: string | null;
  note: string | null;
  updatedBy: string;
  updatedAt: string;
}

export type PhaseState = "reached" | "open" | "overdue";

export interface TeamPhase {
  phase: AdoptionPhase;
  state: PhaseState;
  /** "derived" when the platform's data shows it, "manual" when entered by hand, null when open */
  source: "derived" | "manual" | null;
  reachedOn: string | null;
  targetDate: string | null;
  note: string | null;
  updatedBy: string | null;
}

export interface TeamAdoptionInput {
  team: string;
  name: string;
  derived: Partial<Record<AdoptionPhase, DerivedPhase>>;
  manual: ManualMilestone[];
}

export interface TeamAdoption {
  team: string;
  name: string;
  phases: TeamPhase[];
  reachedCount: number;
}

/**
 * One team's phases. The platform's data wins when it shows the phase reached (a hand entry cannot un-reach
 * it, but its target date and note are kept); otherwise the hand entry decides. An open phase whose target
 * date is before `today` is overdue.
 */
export function teamAdoption(input: TeamAdoptionInput, today: string): TeamAdoption {
  const phases = ADOPTION_PHASES.map((phase): TeamPhase => {
    const d = input.derived[phase];
    const m = input.manual.find((e) => e.phase === phase) ?? null;
    const base = {
      phase,
      targetDate: m?.targetDate ?? null,
      note: m?.note ?? null,
      updatedBy: m?.updatedBy ?? null,
    };
    if (d?.reached) {
      // the earlier of the two days when both are known: a hand entry may record an earlier start
      const on = earliest(d.since, m?.reached ? m.reachedOn : null);
      return { ...base, state: "reached", source: "derived", reachedOn: on };
    }
    if (m?.reached) return { ...base, state: "reached", source: "manual", reachedOn: m.reachedOn };
    const overdue = base.targetDate !== null && base.targetDate < today;
    return { ...base, state: overdue ? "overdue" : "open", source: null, reachedOn: null };
  });
  return {
    team: input.team,
    name: input.name,
    phases,
    reachedCount: phases.filter((p) => p.state === "reached").length,
  };
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** "2026-Q4" for a "YYYY-MM-DD" date. */
export function quarterOf(date: string): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The last day of a quarter, "2026-Q4" → "2026-12-31". */
export function quarterEnd(quarter: string): string {
  const year = quarter.slice(0, 4);
  const q = Number(quarter.slice(6));
  return `${year}-${["03-31", "06-30", "09-30", "12-31"][q - 1]}`;
}

/** The quarter `n` quarters before `quarter` (n may be 0). */
export function quarterBefore(quarter: string, n: number): string {
  const index = Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(6)) - 1 - n;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

export interface AdoptionBoard {
  teams: TeamAdoption[];
  /** Teams that reached each phase, in phase order */
  counts: { phase: AdoptionPhase; reached: number; overdue: number }[];
  /** Teams that had reached each phase by the end of each of the last `quarters` quarters (oldest first) */
  trend: { quarter: string; counts: Record<AdoptionPhase, number> }[];
}

/**
 * The org-wide board: every team's phases, the teams per phase, and the trend over the last quarters. A
 * phase reached on an unknown day counts in the current quarter only.
 */
export function adoptionBoard(inputs: TeamAdoptionInput[], today: string, quarters = 4): AdoptionBoard {
  const teams = inputs.map((t) => teamAdoption(t, today));
  const counts = ADOPTION_PHASES.map((phase) => {
    const ps = teams.map((t) => t.phases.find((p) => p.phase === phase)!);
    return {
      phase,
      reached: ps.filter((p) => p.state === "reached").length,
      overdue: ps.filter((p) => p.state === "overdue").length,
    };
  });
  const current = quarterOf(today);
  const trend = [];
  for (let n = quarters - 1; n >= 0; n--) {
    const quarter = quarterBefore(current, n);
    const end = quarterEnd(quarter);
    const c = Object.fromEntries(ADOPTION_PHASES.map((p) => [p, 0])) as Record<AdoptionPhase, number>;
    for (const t of teams)
      for (const p of t.phases) {
        if (p.state !== "reached") continue;
        if (p.reachedOn === null ? n === 0 : p.reachedOn <= end) c[p.phase] += 1;
      }
    trend.push({ quarter, counts: c });
  }
  return { teams, counts, trend };
}

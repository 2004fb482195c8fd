/** The shape of the demo world: teams, services with their endpoints, regions, and the SLOs to create. */

export interface TeamModel {
  slug: string;
  name: string;
  slackChannel: string;
}

export interface EndpointModel {
  method: string;
  /** Route template, e.g. "/payments/{id}". */
  route: string;
  /** Requests per second in one region (weight 1) at the daily peak, at scale 1. */
  peakRps: number;
  /** Median duration of a successful request. */
  latencyMedianMs: number;
  /** Spread of ln(duration): 0.4 puts p95 at about 1.9x the median. */
  latencySigma: number;
  /** Baseline probability of a 5xx. */
  errorRate: number;
  /** Baseline probability of a 4xx (not a failure by default) and the codes drawn. */
  clientErrorRate: number;
  clientErrorStatuses: readonly number[];
  okStatus: number;
}

export interface ServiceModel {
  slug: string;
  name: string;
  team: string;
  description: string;
  runbookUrl: string;
  tier: number;
  endpoints: readonly EndpointModel[];
}

export interface RegionModel {
  slug: string;
  /** Traffic multiplier of the region. */
  weight: number;
  /** Hour of the day (UTC) at which the region's traffic peaks. */
  peakHourUtc: number;
}

/** The body of `POST /api/v1/slos` (availability and latency SLIs only). */
export interface SloSpec {
  service: string;
  name: string;
  endpoint?: string;
  sli: { type: "availability" } | { type: "latency"; thresholdMs: number };
  objectivePercent: number;
  window:
    | { type: "rolling"; days: number }
    | { type: "calendar"; period: "month" | "4w" | "quarter"; timeZone?: string };
  budgetingMethod?: "occurrences" | "timeslices";
  priority?: "P1" | "P2" | "P3" | "P4" | "P5";
  journeyStep?: string;
  customerSegment?: string;
  description?: string;
}

export interface Catalog {
  teams: readonly TeamModel[];
  services: readonly ServiceModel[];
  regions: readonly RegionModel[];
  slos: readonly SloSpec[];
}

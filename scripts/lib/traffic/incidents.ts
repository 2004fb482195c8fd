/** Incidents: what they do to a service's traffic, and the demo's daily and sporadic incidents. */
import { HOUR_MS, MINUTE_MS } from "../../../packages/slo-core/src/time-units.ts";

export interface IncidentEffect {
  service: string;
  region: string;
  /** Endpoints ("METHOD /route") hit; absent = every endpoint of the service. */
  endpoints?: readonly string[];
  /** 5xx probability while active (combined with the baseline: 1 - (1 - base)(1 - errorRate)). */
  errorRate?: number;
  errorStatuses?: readonly number[];
  /** Multiplies durations while active. */
  latencyFactor?: number;
}

export interface IncidentTemplate extends IncidentEffect {
  id: string;
  title: string;
  durationMs: number;
  /** Where the incident starts within each repetition, as a fraction of the period (0 <= x < 1). */
  cycleOffset: number;
  /** Deploy a bad version to the service and region this long before the incident, and roll back at its end. */
  deployLeadMs?: number;
}

export interface SporadicTemplate extends IncidentEffect {
  id: string;
  title: string;
  durationMs: number;
}

export interface IncidentOccurrence extends IncidentEffect {
  id: string;
  title: string;
  startMs: number;
  endMs: number;
  deployLeadMs?: number;
}

/** Repeated every `incidentPeriodMs` (default 24 h, from the Unix epoch: offsets are UTC times of day). */
export const DEMO_INCIDENTS: readonly IncidentTemplate[] = [
  {
    id: "search-eu-latency",
    title: "search prod-eu latency x3 (slow index replica)",
    service: "search",
    region: "prod-eu",
    latencyFactor: 3,
    durationMs: HOUR_MS,
    cycleOffset: 7 / 24, // 07:00-08:00 UTC
  },
  {
    id: "checkout-eu-fast-burn",
    title: "checkout prod-eu fast burn: 8% 5xx after a bad deploy",
    service: "checkout",
    region: "prod-eu",
    errorRate: 0.08,
    errorStatuses: [500, 502, 503],
    durationMs: 20 * MINUTE_MS,
    cycleOffset: 10.5 / 24, // 10:30-10:50 UTC
    deployLeadMs: 2 * MINUTE_MS,
  },
  {
    id: "payments-us-slow-burn",
    title: "payments-api prod-us slow burn: 0.8% 5xx (flaky card processor)",
    service: "payments-api",
    region: "prod-us",
    errorRate: 0.008,
    errorStatuses: [500, 504],
    durationMs: 6 * HOUR_MS,
    cycleOffset: 14 / 24, // 14:00-20:00 UTC
  },
];

/** At most one a day (probability `sporadicProbability`), at a seeded time: history that is not perfectly periodic. */
export const DEMO_SPORADIC: readonly SporadicTemplate[] = [
  {
    id: "search-us-errors",
    title: "search prod-us 4% 5xx (shard failover)",
    service: "search",
    region: "prod-us",
    errorRate: 0.04,
    durationMs: 30 * MINUTE_MS,
  },
  {
    id: "payments-eu-latency",
    title: "payments-api prod-eu latency x2.5 (database vacuum)",
    service: "payments-api",
    region: "prod-eu",
    latencyFactor: 2.5,
    durationMs: 45 * MINUTE_MS,
  },
  {
    id: "cart-items-us-errors",
    title: "checkout prod-us POST /cart/items 15% 5xx (inventory timeouts)",
    service: "checkout",
    region: "prod-us",
    endpoints: ["POST /cart/items"],
    errorRate: 0.15,
    errorStatuses: [503, 504],
    durationMs: 8 * MINUTE_MS,
  },
  {
    id: "products-eu-errors",
    title: "search prod-eu GET /products/{id} 2% 5xx (cache node lost)",
    service: "search",
    region: "prod-eu",
    endpoints: ["GET /products/{id}"],
    errorRate: 0.02,
    durationMs: 2 * HOUR_MS,
  },
];

/** The options of the traffic model, and their defaults. */
import { DAY_MS, MINUTE_MS } from "../../../packages/slo-core/src/time-units.ts";
import type { Catalog } from "./catalog.ts";
import { DEMO_CATALOG } from "./demo-catalog.ts";
import { DEMO_INCIDENTS, DEMO_SPORADIC, type IncidentTemplate, type SporadicTemplate } from "./incidents.ts";
import { fnv1a } from "./random.ts";

export interface TrafficOptions {
  /** PRNG seed (number or string). Default 1. */
  seed?: number | string;
  /** Multiplies every request rate. Default 1. */
  scale?: number;
  catalog?: Catalog;
  /** Period of the repeating incident schedule. Default 24 h. Incidents longer than the period never end. */
  incidentPeriodMs?: number;
  incidents?: readonly IncidentTemplate[];
  sporadic?: readonly SporadicTemplate[];
  /** Probability of one sporadic incident per UTC day. Default 0.6; 0 turns them off. */
  sporadicProbability?: number;
}

export interface Resolved {
  seed: number;
  scale: number;
  catalog: Catalog;
  periodMs: number;
  incidents: readonly IncidentTemplate[];
  sporadic: readonly SporadicTemplate[];
  sporadicProbability: number;
}

export function resolve(o: TrafficOptions = {}): Resolved {
  const scale = o.scale ?? 1;
  if (!(scale >= 0) || !Number.isFinite(scale))
    throw new RangeError(`scale must be a finite number >= 0, got ${scale}`);
  const periodMs = o.incidentPeriodMs ?? DAY_MS;
  if (!(periodMs >= MINUTE_MS))
    throw new RangeError(`incidentPeriodMs must be at least one minute, got ${periodMs}`);
  return {
    seed: typeof o.seed === "string" ? fnv1a(o.seed) : (o.seed ?? 1) >>> 0,
    scale,
    catalog: o.catalog ?? DEMO_CATALOG,
    periodMs,
    incidents: o.incidents ?? DEMO_INCIDENTS,
    sporadic: o.sporadic ?? DEMO_SPORADIC,
    sporadicProbability: o.sporadicProbability ?? 0.6,
  };
}

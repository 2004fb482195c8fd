/**
 * A pure, deterministic model of demo traffic for Burnrate: a catalog (teams, services, endpoints, regions, SLOs),
 * diurnal request rates, lognormal latencies, a baseline error rate well inside every SLO, and incidents on a schedule.
 *
 * Everything is a function of (time span, options): there is no clock and no global randomness. Time is cut into
 * one-second slots per stream (endpoint x region); each slot draws from its own PRNG seeded by (seed, stream, second),
 * so the records of [a, c) are exactly those of [a, b) followed by those of [b, c), whatever b is. That makes
 * backfill, live mode and chunking agree with each other and keeps memory bounded.
 *
 * Records have the NDJSON ingest shape of `POST /api/v1/ingest/requests`, so `JSON.stringify(record)` is a line.
 */
export type {
  Catalog,
  EndpointModel,
  RegionModel,
  ServiceModel,
  SloSpec,
  TeamModel,
} from "./traffic/catalog.ts";
export { DEMO_CATALOG } from "./traffic/demo-catalog.ts";
export {
  DEMO_INCIDENTS,
  DEMO_SPORADIC,
  type IncidentEffect,
  type IncidentOccurrence,
  type IncidentTemplate,
  type SporadicTemplate,
} from "./traffic/incidents.ts";
export type { TrafficOptions } from "./traffic/options.ts";
export { mulberry32 } from "./traffic/random.ts";
export { diurnalFactor, expectedRecords, rateAt } from "./traffic/rates.ts";
export { incidentsBetween } from "./traffic/schedule.ts";
export { deploymentsBetween, type DeploymentEvent } from "./traffic/deployments.ts";
export { generate, generateChunks, type RequestRecord, type TrafficChunk } from "./traffic/generate.ts";

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

// ---------------------------------------------------------------------------------------------------------------------
// Catalog

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

const S5XX = [500, 502, 503, 504] as const;

export const DEMO_CATALOG: Catalog = {
  teams: [
    { slug: "payments", name: "Payments", slackChannel: "#team-payments-slo-breaches" },
    { slug: "discovery", name: "Discovery", slackChannel: "#team-discovery-slo-breaches" },
  ],
  services: [
    {
      slug: "checkout",
      name: "Checkout",
      team: "payments",
      description: "Cart and checkout flow of the web shop (demo data from scripts/simulate.ts).",
      runbookUrl: "https://runbooks.example.com/checkout",
      tier: 1,
      endpoints: [
        {
          method: "GET",
          route: "/cart",
          peakRps: 1.8,
          latencyMedianMs: 45,
          latencySigma: 0.45,
          errorRate: 0.0002,
          clientErrorRate: 0.003,
          clientErrorStatuses: [401],
          okStatus: 200,
        },
        {
          method: "POST",
          route: "/cart/items",
          peakRps: 0.7,
          latencyMedianMs: 70,
          latencySigma: 0.45,
          errorRate: 0.0005,
          clientErrorRate: 0.015,
          clientErrorStatuses: [400, 409, 422],
          okStatus: 201,
        },
        {
          method: "POST",
          route: "/checkout",
          peakRps: 0.45,
          latencyMedianMs: 110,
          latencySigma: 0.4,
          errorRate: 0.0005,
          clientErrorRate: 0.02,
          clientErrorStatuses: [400, 402, 409],
          okStatus: 200,
        },
      ],
    },
    {
      slug: "payments-api",
      name: "Payments API",
      team: "payments",
      description: "Card and wallet payments behind checkout (demo data from scripts/simulate.ts).",
      runbookUrl: "https://runbooks.example.com/payments-api",
      tier: 1,
      endpoints: [
        {
          method: "POST",
          route: "/payments",
          peakRps: 0.45,
          latencyMedianMs: 180,
          latencySigma: 0.5,
          errorRate: 0.0008,
          clientErrorRate: 0.03,
          clientErrorStatuses: [402, 422],
          okStatus: 201,
        },
        {
          method: "GET",
          route: "/payments/{id}",
          peakRps: 0.6,
          latencyMedianMs: 35,
          latencySigma: 0.5,
          errorRate: 0.0005,
          clientErrorRate: 0.01,
          clientErrorStatuses: [404],
          okStatus: 200,
        },
      ],
    },
    {
      slug: "search",
      name: "Search",
      team: "discovery",
      description: "Product search and product pages (demo data from scripts/simulate.ts).",
      runbookUrl: "https://runbooks.example.com/search",
      tier: 2,
      endpoints: [
        {
          method: "GET",
          route: "/search",
          peakRps: 1.5,
          latencyMedianMs: 140,
          latencySigma: 0.5,
          errorRate: 0.001,
          clientErrorRate: 0.005,
          clientErrorStatuses: [400],
          okStatus: 200,
        },
        {
          method: "GET",
          route: "/products/{id}",
          peakRps: 1.1,
          latencyMedianMs: 60,
          latencySigma: 0.45,
          errorRate: 0.001,
          clientErrorRate: 0.02,
          clientErrorStatuses: [404],
          okStatus: 200,
        },
      ],
    },
  ],
  regions: [
    { slug: "prod-eu", weight: 1, peakHourUtc: 13 },
    { slug: "prod-us", weight: 0.8, peakHourUtc: 20 },
  ],
  slos: [
    {
      service: "checkout",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
      priority: "P2",
      journeyStep: "View cart",
      customerSegment: "All shoppers",
      description: "Shoppers can open their cart.",
    },
    {
      service: "checkout",
      name: "Checkout latency",
      endpoint: "POST /checkout",
      sli: { type: "latency", thresholdMs: 300 },
      objectivePercent: 95,
      window: { type: "rolling", days: 28 },
      priority: "P2",
      journeyStep: "Place order",
      customerSegment: "All shoppers",
      description: "Placing an order feels instant.",
    },
    {
      service: "payments-api",
      name: "Payments availability",
      sli: { type: "availability" },
      objectivePercent: 99.5,
      window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
      priority: "P1",
      journeyStep: "Pay",
      customerSegment: "All shoppers",
      description: "Every payments API call succeeds; the budget resets each month in Berlin time.",
    },
    {
      service: "payments-api",
      name: "Payment lookup availability (book default)",
      endpoint: "GET /payments/{id}",
      sli: { type: "availability" },
      objectivePercent: 90,
      window: { type: "rolling", days: 28 },
      description: "The book's default availability SLO: 90%.",
    },
    {
      service: "payments-api",
      name: "Payment lookup latency (book default)",
      endpoint: "GET /payments/{id}",
      sli: { type: "latency", thresholdMs: 1000 },
      objectivePercent: 80,
      window: { type: "rolling", days: 28 },
      description: "The book's default latency SLO: 80% within 1000 ms.",
    },
    {
      service: "search",
      name: "Search latency",
      endpoint: "GET /search",
      sli: { type: "latency", thresholdMs: 500 },
      objectivePercent: 90,
      window: { type: "rolling", days: 28 },
      priority: "P3",
      journeyStep: "Find a product",
      customerSegment: "All shoppers",
      description: "Search results arrive within half a second.",
    },
    {
      service: "search",
      name: "Search availability",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "calendar", period: "4w" },
      priority: "P3",
      journeyStep: "Find a product",
      customerSegment: "All shoppers",
      description: "Search and product pages answer, per four calendar weeks.",
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------------
// Incidents

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

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Repeated every `incidentPeriodMs` (default 24 h, from the Unix epoch: offsets are UTC times of day). */
export const DEMO_INCIDENTS: readonly IncidentTemplate[] = [
  {
    id: "search-eu-latency",
    title: "search prod-eu latency x3 (slow index replica)",
    service: "search",
    region: "prod-eu",
    latencyFactor: 3,
    durationMs: HOUR,
    cycleOffset: 7 / 24, // 07:00-08:00 UTC
  },
  {
    id: "checkout-eu-fast-burn",
    title: "checkout prod-eu fast burn: 8% 5xx after a bad deploy",
    service: "checkout",
    region: "prod-eu",
    errorRate: 0.08,
    errorStatuses: [500, 502, 503],
    durationMs: 20 * MIN,
    cycleOffset: 10.5 / 24, // 10:30-10:50 UTC
    deployLeadMs: 2 * MIN,
  },
  {
    id: "payments-us-slow-burn",
    title: "payments-api prod-us slow burn: 0.8% 5xx (flaky card processor)",
    service: "payments-api",
    region: "prod-us",
    errorRate: 0.008,
    errorStatuses: [500, 504],
    durationMs: 6 * HOUR,
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
    durationMs: 30 * MIN,
  },
  {
    id: "payments-eu-latency",
    title: "payments-api prod-eu latency x2.5 (database vacuum)",
    service: "payments-api",
    region: "prod-eu",
    latencyFactor: 2.5,
    durationMs: 45 * MIN,
  },
  {
    id: "cart-items-us-errors",
    title: "checkout prod-us POST /cart/items 15% 5xx (inventory timeouts)",
    service: "checkout",
    region: "prod-us",
    endpoints: ["POST /cart/items"],
    errorRate: 0.15,
    errorStatuses: [503, 504],
    durationMs: 8 * MIN,
  },
  {
    id: "products-eu-errors",
    title: "search prod-eu GET /products/{id} 2% 5xx (cache node lost)",
    service: "search",
    region: "prod-eu",
    endpoints: ["GET /products/{id}"],
    errorRate: 0.02,
    durationMs: 2 * HOUR,
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Options

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

interface Resolved {
  seed: number;
  scale: number;
  catalog: Catalog;
  periodMs: number;
  incidents: readonly IncidentTemplate[];
  sporadic: readonly SporadicTemplate[];
  sporadicProbability: number;
}

function resolve(o: TrafficOptions = {}): Resolved {
  const scale = o.scale ?? 1;
  if (!(scale >= 0) || !Number.isFinite(scale))
    throw new RangeError(`scale must be a finite number >= 0, got ${scale}`);
  const periodMs = o.incidentPeriodMs ?? DAY;
  if (!(periodMs >= MIN))
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

// ---------------------------------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a small, fast 32-bit PRNG. Returns a function yielding floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a few non-negative integers (each < 2^53) into a 32-bit seed. */
function hashInts(a: number, b: number, c: number): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b + 1, 0x27d4eb2d));
  h = fmix32(h ^ (c >>> 0));
  h = fmix32(h ^ Math.floor(c / 4294967296));
  return h;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function gaussian(rand: () => number): number {
  const u1 = 1 - rand(); // (0, 1]
  const u2 = rand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function poisson(lambda: number, rand: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

// ---------------------------------------------------------------------------------------------------------------------
// Rates

/** Day curve in [0.3, 1]: 1 at the region's peak hour, 0.3 twelve hours later. */
export function diurnalFactor(tMs: number, region: RegionModel): number {
  const hours = (tMs / HOUR) % 24;
  return 0.3 + 0.7 * ((1 + Math.cos((2 * Math.PI * (hours - region.peakHourUtc)) / 24)) / 2);
}

interface Stream {
  index: number;
  service: ServiceModel;
  endpoint: EndpointModel;
  endpointKey: string;
  region: RegionModel;
}

function streamsOf(catalog: Catalog): Stream[] {
  const out: Stream[] = [];
  for (const service of catalog.services)
    for (const endpoint of service.endpoints)
      for (const region of catalog.regions)
        out.push({
          index: out.length,
          service,
          endpoint,
          endpointKey: `${endpoint.method} ${endpoint.route}`,
          region,
        });
  return out;
}

/** Requests per second of one endpoint in one region at time t (before Poisson noise). */
export function rateAt(
  tMs: number,
  service: string,
  endpoint: string,
  region: string,
  opts: TrafficOptions = {},
): number {
  const r = resolve(opts);
  const s = streamsOf(r.catalog).find(
    (x) => x.service.slug === service && x.endpointKey === endpoint && x.region.slug === region,
  );
  if (!s) throw new Error(`unknown stream ${service} ${endpoint} ${region}`);
  return s.endpoint.peakRps * s.region.weight * r.scale * diurnalFactor(tMs, s.region);
}

/** Expected number of records in [fromMs, toMs) (integrated minute by minute). */
export function expectedRecords(fromMs: number, toMs: number, opts: TrafficOptions = {}): number {
  const r = resolve(opts);
  const streams = streamsOf(r.catalog);
  let total = 0;
  for (let t = fromMs; t < toMs; t += MIN) {
    const span = Math.min(MIN, toMs - t);
    const mid = t + span / 2;
    for (const s of streams)
      total += s.endpoint.peakRps * s.region.weight * diurnalFactor(mid, s.region) * (span / 1000);
  }
  return total * r.scale;
}

// ---------------------------------------------------------------------------------------------------------------------
// Schedule

/** Every incident (scheduled and sporadic) overlapping [fromMs, toMs), sorted by start. */
export function incidentsBetween(
  fromMs: number,
  toMs: number,
  opts: TrafficOptions = {},
): IncidentOccurrence[] {
  return occurrences(fromMs, toMs, resolve(opts));
}

function occurrences(fromMs: number, toMs: number, r: Resolved): IncidentOccurrence[] {
  const out: IncidentOccurrence[] = [];
  if (!(toMs > fromMs)) return out;
  const P = r.periodMs;
  for (const t of r.incidents) {
    const offset = Math.floor((((t.cycleOffset % 1) + 1) % 1) * P);
    const kMin = Math.floor((fromMs - offset - t.durationMs) / P);
    const kMax = Math.floor((toMs - offset) / P);
    for (let k = kMin; k <= kMax; k++) {
      const startMs = k * P + offset;
      const endMs = startMs + t.durationMs;
      if (startMs < toMs && endMs > fromMs) {
        const { cycleOffset: _c, durationMs: _d, ...effect } = t;
        out.push({ ...effect, id: `${t.id}@${new Date(startMs).toISOString()}`, startMs, endMs });
      }
    }
  }
  if (r.sporadic.length > 0 && r.sporadicProbability > 0) {
    const longest = Math.max(...r.sporadic.map((s) => s.durationMs));
    for (let d = Math.floor((fromMs - longest) / DAY); d <= Math.floor(toMs / DAY); d++) {
      if (d < 0) continue;
      const rand = mulberry32(hashInts(r.seed, 0x5ec0ad1c, d));
      if (rand() >= r.sporadicProbability) continue;
      const t = r.sporadic[Math.floor(rand() * r.sporadic.length)]!;
      const startMs = d * DAY + Math.floor((rand() * Math.max(0, DAY - t.durationMs)) / MIN) * MIN;
      const endMs = startMs + t.durationMs;
      if (startMs < toMs && endMs > fromMs) {
        const { durationMs: _d, ...effect } = t;
        out.push({ ...effect, id: `${t.id}@${new Date(startMs).toISOString()}`, startMs, endMs });
      }
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
}

function affects(o: IncidentEffect, s: Stream): boolean {
  return (
    o.service === s.service.slug &&
    o.region === s.region.slug &&
    (!o.endpoints || o.endpoints.includes(s.endpointKey))
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Deployments

export interface DeploymentEvent {
  service: string;
  region: string;
  version: string;
  kind: "deployment";
  at: number;
  note?: string;
}

const DEPLOY_EVERY_MS = 20 * HOUR;
const DEPLOY_REGION_GAP_MS = 45 * MIN;

function versionOf(serviceIndex: number, k: number): { minor: number; patch: number } {
  return { minor: 30 + ((Math.floor(k / 6) + serviceIndex * 17) % 60), patch: k % 6 };
}

/**
 * Deployments with `at` in [fromMs, toMs), sorted by time: every service ships about every 20 h (prod-eu first,
 * prod-us 45 min later), and an incident with `deployLeadMs` is preceded by a bad deploy and ended by a rollback.
 */
export function deploymentsBetween(
  fromMs: number,
  toMs: number,
  opts: TrafficOptions = {},
): DeploymentEvent[] {
  const r = resolve(opts);
  const out: DeploymentEvent[] = [];
  const services = r.catalog.services;
  const regionSlugs = r.catalog.regions.map((x) => x.slug);
  const offsetOf = (i: number) => Math.round(i * 5.5 * HOUR + 1.5 * HOUR);
  services.forEach((svc, i) => {
    const off = offsetOf(i);
    const lastGap = DEPLOY_REGION_GAP_MS * Math.max(0, regionSlugs.length - 1);
    for (
      let k = Math.floor((fromMs - off - lastGap) / DEPLOY_EVERY_MS);
      k <= Math.floor((toMs - off) / DEPLOY_EVERY_MS);
      k++
    ) {
      const v = versionOf(i, k);
      regionSlugs.forEach((region, j) => {
        const at = k * DEPLOY_EVERY_MS + off + j * DEPLOY_REGION_GAP_MS;
        if (at >= fromMs && at < toMs)
          out.push({
            service: svc.slug,
            region,
            version: `v1.${v.minor}.${v.patch}`,
            kind: "deployment",
            at,
          });
      });
    }
  });
  const maxLead = Math.max(0, ...r.incidents.map((t) => t.deployLeadMs ?? 0));
  for (const o of occurrences(fromMs, toMs + maxLead, r)) {
    if (o.deployLeadMs === undefined) continue;
    const i = services.findIndex((s) => s.slug === o.service);
    if (i < 0) continue;
    const badAt = o.startMs - o.deployLeadMs;
    // The version running at badAt is that of the latest regular deploy to the incident's region.
    const j = Math.max(0, regionSlugs.indexOf(o.region));
    const k = Math.floor((badAt - offsetOf(i) - j * DEPLOY_REGION_GAP_MS) / DEPLOY_EVERY_MS);
    const v = versionOf(i, k);
    const current = `v1.${v.minor}.${v.patch}`;
    const bad = `v1.${v.minor}.${v.patch + 1}-rc.1`;
    if (badAt >= fromMs && badAt < toMs)
      out.push({
        service: o.service,
        region: o.region,
        version: bad,
        kind: "deployment",
        at: badAt,
        note: `precedes incident: ${o.title}`,
      });
    if (o.endMs >= fromMs && o.endMs < toMs)
      out.push({
        service: o.service,
        region: o.region,
        version: current,
        kind: "deployment",
        at: o.endMs,
        note: `rollback of ${bad}`,
      });
  }
  return out.sort(
    (a, b) => a.at - b.at || a.service.localeCompare(b.service) || a.region.localeCompare(b.region),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Records

/** One line of `POST /api/v1/ingest/requests`. */
export interface RequestRecord {
  ts: number;
  service: string;
  method: string;
  route: string;
  region: string;
  status: number;
  durationMs: number;
}

export interface TrafficChunk {
  /** The chunk covers [fromMs, toMs); consecutive chunks are contiguous. */
  fromMs: number;
  toMs: number;
  records: RequestRecord[];
}

/** All records with ts in [fromMs, toMs), sorted by ts. */
export function generate(fromMs: number, toMs: number, opts: TrafficOptions = {}): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (const c of generateChunks(fromMs, toMs, { ...opts, maxRecords: Infinity }))
    for (const rec of c.records) out.push(rec);
  return out;
}

/**
 * The records of [fromMs, toMs) in contiguous chunks of about `maxRecords` (default 20,000; a chunk ends on a
 * second boundary, so it may exceed that by one second of traffic). Only the current chunk is held in memory.
 * Spans without any record yield nothing.
 */
export function* generateChunks(
  fromMs: number,
  toMs: number,
  opts: TrafficOptions & { maxRecords?: number } = {},
): Generator<TrafficChunk> {
  if (!(toMs > fromMs)) return;
  const r = resolve(opts);
  const maxRecords = opts.maxRecords ?? 20_000;
  const streams = streamsOf(r.catalog);
  const byStream: IncidentOccurrence[][] = streams.map(() => []);
  for (const o of occurrences(fromMs, toMs, r))
    for (const s of streams) if (affects(o, s)) byStream[s.index]!.push(o);

  let buf: RequestRecord[] = [];
  let chunkFrom = fromMs;
  const secondRecs: RequestRecord[] = [];
  const firstSec = Math.floor(fromMs / 1000);
  const lastSec = Math.ceil(toMs / 1000) - 1;
  for (let sec = firstSec; sec <= lastSec; sec++) {
    const secStart = sec * 1000;
    const mid = secStart + 500;
    secondRecs.length = 0;
    for (const s of streams) {
      const lambda = s.endpoint.peakRps * s.region.weight * r.scale * diurnalFactor(mid, s.region);
      if (lambda <= 0) continue;
      const rand = mulberry32(hashInts(r.seed, s.index, sec));
      const n = poisson(lambda, rand);
      if (n === 0) continue;
      const incs = byStream[s.index]!;
      for (let i = 0; i < n; i++) {
        const ts = secStart + Math.floor(rand() * 1000);
        const u = rand();
        const uStatus = rand();
        const z = gaussian(rand);
        const uTail = rand();
        let errorRate = s.endpoint.errorRate;
        let errorStatuses: readonly number[] = S5XX;
        let latencyFactor = 1;
        for (const o of incs) {
          if (ts < o.startMs || ts >= o.endMs) continue;
          if (o.errorRate !== undefined) {
            errorRate = 1 - (1 - errorRate) * (1 - o.errorRate);
            if (o.errorStatuses) errorStatuses = o.errorStatuses;
          }
          if (o.latencyFactor !== undefined) latencyFactor *= o.latencyFactor;
        }
        if (ts < fromMs || ts >= toMs) continue;
        let status: number;
        let durationMs: number;
        const base = s.endpoint.latencyMedianMs * Math.exp(s.endpoint.latencySigma * z) * latencyFactor;
        if (u < errorRate) {
          status = errorStatuses[Math.floor(uStatus * errorStatuses.length)]!;
          durationMs = status === 504 ? 5000 + uTail * 5000 : base * 0.6;
        } else if (u < errorRate + s.endpoint.clientErrorRate) {
          status =
            s.endpoint.clientErrorStatuses[Math.floor(uStatus * s.endpoint.clientErrorStatuses.length)]!;
          durationMs = base * 0.4;
        } else {
          status = s.endpoint.okStatus;
          // A thin tail (0.5%) of slow requests: GC pauses, cold caches.
          durationMs = uTail < 0.005 ? base * (3 + uStatus * 3) : base;
        }
        secondRecs.push({
          ts,
          service: s.service.slug,
          method: s.endpoint.method,
          route: s.endpoint.route,
          region: s.region.slug,
          status,
          durationMs: Math.max(1, Math.round(durationMs)),
        });
      }
    }
    if (secondRecs.length > 1) secondRecs.sort((a, b) => a.ts - b.ts);
    for (const rec of secondRecs) buf.push(rec);
    if (buf.length >= maxRecords && sec < lastSec) {
      const chunkTo = secStart + 1000;
      yield { fromMs: chunkFrom, toMs: chunkTo, records: buf };
      buf = [];
      chunkFrom = chunkTo;
    }
  }
  if (buf.length > 0) yield { fromMs: chunkFrom, toMs, records: buf };
}

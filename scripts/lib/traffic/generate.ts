/** The request records themselves: Poisson arrivals per second and stream, statuses and lognormal latencies. */
import { resolve, type TrafficOptions } from "./options.ts";
import { gaussian, hashInts, mulberry32, poisson } from "./random.ts";
import { diurnalFactor, streamsOf } from "./rates.ts";
import { affects, occurrences } from "./schedule.ts";
import type { IncidentOccurrence } from "./incidents.ts";

/** The 5xx statuses drawn for a failed request when its incident names none. */
const S5XX = [500, 502, 503, 504] as const;

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

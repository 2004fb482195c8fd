/** Request rates: a day curve per region, and the streams (endpoint x region) that carry the traffic. */
import { HOUR_MS, MINUTE_MS } from "../../../packages/slo-core/src/time-units.ts";
import type { Catalog, EndpointModel, RegionModel, ServiceModel } from "./catalog.ts";
import { resolve, type TrafficOptions } from "./options.ts";

/** Day curve in [0.3, 1]: 1 at the region's peak hour, 0.3 twelve hours later. */
export function diurnalFactor(tMs: number, region: RegionModel): number {
  const hours = (tMs / HOUR_MS) % 24;
  return 0.3 + 0.7 * ((1 + Math.cos((2 * Math.PI * (hours - region.peakHourUtc)) / 24)) / 2);
}

export interface Stream {
  index: number;
  service: ServiceModel;
  endpoint: EndpointModel;
  endpointKey: string;
  region: RegionModel;
}

export function streamsOf(catalog: Catalog): Stream[] {
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
  for (let t = fromMs; t < toMs; t += MINUTE_MS) {
    const span = Math.min(MINUTE_MS, toMs - t);
    const mid = t + span / 2;
    for (const s of streams)
      total += s.endpoint.peakRps * s.region.weight * diurnalFactor(mid, s.region) * (span / 1000);
  }
  return total * r.scale;
}

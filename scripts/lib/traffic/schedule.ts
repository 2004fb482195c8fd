/** When incidents happen: the repeating schedule and the seeded sporadic ones, and which streams they hit. */
import { DAY_MS, MINUTE_MS } from "../../../packages/slo-core/src/time-units.ts";
import type { IncidentEffect, IncidentOccurrence } from "./incidents.ts";
import { resolve, type Resolved, type TrafficOptions } from "./options.ts";
import { hashInts, mulberry32 } from "./random.ts";
import type { Stream } from "./rates.ts";

/** Every incident (scheduled and sporadic) overlapping [fromMs, toMs), sorted by start. */
export function incidentsBetween(
  fromMs: number,
  toMs: number,
  opts: TrafficOptions = {},
): IncidentOccurrence[] {
  return occurrences(fromMs, toMs, resolve(opts));
}

export function occurrences(fromMs: number, toMs: number, r: Resolved): IncidentOccurrence[] {
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
    for (let d = Math.floor((fromMs - longest) / DAY_MS); d <= Math.floor(toMs / DAY_MS); d++) {
      if (d < 0) continue;
      const rand = mulberry32(hashInts(r.seed, 0x5ec0ad1c, d));
      if (rand() >= r.sporadicProbability) continue;
      const t = r.sporadic[Math.floor(rand() * r.sporadic.length)]!;
      const startMs =
        d * DAY_MS + Math.floor((rand() * Math.max(0, DAY_MS - t.durationMs)) / MINUTE_MS) * MINUTE_MS;
      const endMs = startMs + t.durationMs;
      if (startMs < toMs && endMs > fromMs) {
        const { durationMs: _d, ...effect } = t;
        out.push({ ...effect, id: `${t.id}@${new Date(startMs).toISOString()}`, startMs, endMs });
      }
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
}

export function affects(o: IncidentEffect, s: Stream): boolean {
  return (
    o.service === s.service.slug &&
    o.region === s.region.slug &&
    (!o.endpoints || o.endpoints.includes(s.endpointKey))
  );
}

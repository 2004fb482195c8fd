/** How the simulator writes numbers, times and the incident schedule into its log. */
import { incidentsBetween, type TrafficOptions } from "../lib/traffic.ts";

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function printIncidents(
  log: (s: string) => void,
  fromMs: number,
  toMs: number,
  traffic: TrafficOptions,
): void {
  const list = incidentsBetween(fromMs, toMs, traffic);
  log(`${list.length} incidents between ${iso(fromMs)} and ${iso(toMs)}:`);
  for (const o of list) log(`  ${iso(o.startMs)} .. ${iso(o.endMs)}  ${o.title}`);
}

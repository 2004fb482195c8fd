import { DAY_MS } from "./time-units.js";

export type ComponentState = "operational" | "degraded" | "major_outage";
const RANK: Record<ComponentState, number> = { operational: 0, degraded: 1, major_outage: 2 };

/** The worse of component states (a page's overall state is its worst component's). */
export function worstState(states: readonly ComponentState[]): ComponentState {
  return states.reduce<ComponentState>((w, s) => (RANK[s] > RANK[w] ? s : w), "operational");
}

/**
 * The impact of an open public incident on a component (book §9.7's org-wide mapping rule): priority 1 or 2,
 * whatever the severity, is an outage; any other open incident degrades it.
 */
export function incidentImpact(priority: string | null): ComponentState {
  return priority === "P1" || priority === "P2" ? "major_outage" : "degraded";
}

/**
 * A component's state: the worst impact of the open public incidents on it; with none, degraded while one
 * of its SLOs pages or has spent its budget, else operational.
 */
export function componentState(input: {
  openIncidentPriorities: readonly (string | null)[];
  slos: readonly { pageFiring: boolean; remaining: number }[];
}): ComponentState {
  const fromIncidents = worstState(input.openIncidentPriorities.map(incidentImpact));
  const sloTrouble = input.slos.some((s) => s.pageFiring || s.remaining <= 0);
  return worstState([fromIncidents, sloTrouble ? "degraded" : "operational"]);
}

/**
 * Uptime per UTC day over the `days` days that end with the day of `nowMs`, and over all of them, from
 * good/total sums (any number of rows per day: hours, regions, SLOs). A day without traffic has no uptime
 * (null), neither 0% nor 100%, and does not count in the total.
 */
export function dailyUptime(
  rows: readonly { atMs: number; good: number; total: number }[],
  nowMs: number,
  days: number,
): {
  days: { dayMs: number; good: number; total: number; percent: number | null }[];
  percent: number | null;
} {
  const lastDay = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const first = lastDay - (days - 1) * DAY_MS;
  const out = Array.from({ length: days }, (_, i) => ({ dayMs: first + i * DAY_MS, good: 0, total: 0 }));
  for (const r of rows) {
    const i = Math.floor((r.atMs - first) / DAY_MS);
    const d = out[i];
    if (!d || r.atMs > nowMs) continue;
    d.good += r.good;
    d.total += r.total;
  }
  const good = out.reduce((s, d) => s + d.good, 0);
  const total = out.reduce((s, d) => s + d.total, 0);
  return {
    days: out.map((d) => ({ ...d, percent: d.total > 0 ? (100 * d.good) / d.total : null })),
    percent: total > 0 ? (100 * good) / total : null,
  };
}

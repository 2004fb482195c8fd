import type { OverviewRow } from "@burnrate/contracts";

export const SORT_KEYS = [
  "state",
  "name",
  "service",
  "team",
  "region",
  "sli",
  "objective",
  "sliRatio",
  "budget",
  "burn1h",
  "burn6h",
  "exhaustion",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

const STATE_ORDER: Record<OverviewRow["state"], number> = {
  firing: 0,
  exhausted: 1,
  low: 2,
  healthy: 3,
  "no-data": 4,
};
const SEVERITY_ORDER = { page: 0, ticket: 1 } as const;

/** Sort value of a row for a column; null (no data) always sorts last, whatever the direction. */
function value(r: OverviewRow, k: SortKey): string | number | null {
  switch (k) {
    case "state":
      return STATE_ORDER[r.state];
    case "name":
      return r.name.toLowerCase();
    case "service":
      return r.service;
    case "team":
      return r.team;
    case "region":
      return r.region;
    case "sli":
      return r.sli;
    case "objective":
      return r.objectivePercent;
    case "sliRatio":
      return r.sliRatio;
    case "budget":
      return r.remainingFraction;
    case "burn1h":
      return r.burnRate1h;
    case "burn6h":
      return r.burnRate6h;
    case "exhaustion":
      return r.timeToExhaustionHours;
  }
}

/** Firing alerts first (pages before tickets), then by the chosen column; ties by name and region. */
export function sortRows(rows: OverviewRow[], key: SortKey, dir: SortDir): OverviewRow[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const fa = a.alertSeverity ? SEVERITY_ORDER[a.alertSeverity] : 2;
    const fb = b.alertSeverity ? SEVERITY_ORDER[b.alertSeverity] : 2;
    if (fa !== fb) return fa - fb;
    const va = value(a, key);
    const vb = value(b, key);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      const c =
        typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
      if (c !== 0) return c * sign;
    }
    return a.name.localeCompare(b.name) || (a.region ?? "").localeCompare(b.region ?? "");
  });
}

/** The default direction of a column: worst first (least budget, highest burn, soonest exhaustion). */
export function defaultDir(key: SortKey): SortDir {
  return key === "burn1h" || key === "burn6h" ? "desc" : "asc";
}

export interface GridRow {
  key: string;
  service: string;
  sloId: string;
  name: string;
  cells: Record<string, OverviewRow>;
}

/** Team page: one row per SLO (grouped by service), one column per region. */
export function toSloRegionGrid(rows: OverviewRow[]): { regions: string[]; rows: GridRow[] } {
  const regions = [...new Set(rows.map((r) => r.region).filter((r): r is string => r !== null))].sort();
  const bySlo = new Map<string, GridRow>();
  for (const r of rows) {
    const g = bySlo.get(r.sloId) ?? {
      key: r.sloId,
      service: r.service,
      sloId: r.sloId,
      name: r.name,
      cells: {},
    };
    g.cells[r.region ?? ""] = r;
    bySlo.set(r.sloId, g);
  }
  const out = [...bySlo.values()].sort(
    (a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name),
  );
  return { regions, rows: out };
}

/** Region page: every service in the region with its SLOs' cells, services with the worst state first. */
export function toServiceGroups(
  rows: OverviewRow[],
): { service: string; team: string; rows: OverviewRow[] }[] {
  const m = new Map<string, { service: string; team: string; rows: OverviewRow[] }>();
  for (const r of rows) {
    const g = m.get(r.service) ?? { service: r.service, team: r.team, rows: [] };
    g.rows.push(r);
    m.set(r.service, g);
  }
  const worst = (g: { rows: OverviewRow[] }) => Math.min(...g.rows.map((r) => STATE_ORDER[r.state]));
  return [...m.values()]
    .map((g) => ({ ...g, rows: g.rows.sort((a, b) => a.name.localeCompare(b.name)) }))
    .sort((a, b) => worst(a) - worst(b) || a.service.localeCompare(b.service));
}

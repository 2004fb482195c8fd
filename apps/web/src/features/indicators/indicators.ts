import type { DepletionRow } from "@burnrate/contracts";
import { fmtObjective } from "../../components/format";

export type DepletionSort =
  "service" | "sli" | "slo" | "region" | "period" | "endRemaining" | "avgSpeed" | "maxSpeed";

/** Depletion table order (book §11.2.4): speeds highest first, end-of-period budget lowest first, else by name. */
export function sortDepletion(rows: DepletionRow[], key: DepletionSort): DepletionRow[] {
  const nullLast = (a: number | null, b: number | null, sign: number) =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : (a - b) * sign;
  return [...rows].sort((a, b) => {
    switch (key) {
      case "maxSpeed":
        return nullLast(a.maxSpeedPercentPerHour, b.maxSpeedPercentPerHour, -1);
      case "avgSpeed":
        return nullLast(a.averageSpeedPercentPerHour, b.averageSpeedPercentPerHour, -1);
      case "endRemaining":
        return nullLast(a.remainingAtEnd, b.remainingAtEnd, 1);
      case "period":
        return b.period.start - a.period.start;
      case "service":
        return a.service.localeCompare(b.service) || a.name.localeCompare(b.name);
      case "sli":
        return a.sli.localeCompare(b.sli) || a.service.localeCompare(b.service);
      case "slo":
        return a.name.localeCompare(b.name);
      case "region":
        return a.region.localeCompare(b.region);
    }
  });
}

/**
 * Adherence table (book §11.2.3): one row per SLO × region, its periods oldest to newest, right-aligned so the
 * last column is every SLO's latest period (SLOs have periods of different lengths and boundaries, so the
 * columns are "period −n", and each cell names its dates).
 */
export function adherenceMatrix(rows: DepletionRow[]) {
  const byKey = new Map<
    string,
    { key: string; sloId: string; sli: string; label: string; region: string; periods: DepletionRow[] }
  >();
  for (const r of rows) {
    const key = `${r.sloId}|${r.region}`;
    const g = byKey.get(key) ?? {
      key,
      sloId: r.sloId,
      sli: r.sli,
      label: `${r.endpoint ?? r.name} ${fmtObjective(r.objectivePercent)}`,
      region: r.region,
      periods: [],
    };
    g.periods.push(r);
    byKey.set(key, g);
  }
  const groups = [...byKey.values()].sort(
    (a, b) => a.sli.localeCompare(b.sli) || a.label.localeCompare(b.label),
  );
  const columns = Math.max(0, ...groups.map((g) => g.periods.length));
  return {
    columns,
    rows: groups.map((g) => {
      const sorted = g.periods.sort((a, b) => a.period.start - b.period.start);
      const cells: (DepletionRow | null)[] = [...Array<null>(columns - sorted.length).fill(null), ...sorted];
      return { key: g.key, sloId: g.sloId, sli: g.sli, label: g.label, region: g.region, cells };
    }),
  };
}

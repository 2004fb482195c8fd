import type { DepletionRow } from "@burnrate/contracts";

export type DepletionSort = "service" | "sli" | "slo" | "region" | "period" | "endRemaining" | "avgSpeed" | "maxSpeed";

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

/** Adherence table: one row per SLO × region, one column per period start (book §11.2.3). */
export function adherenceMatrix(rows: DepletionRow[]) {
  const periods = [...new Map(rows.map((r) => [r.period.start, r.period])).values()].sort((a, b) => a.start - b.start);
  const byKey = new Map<
    string,
    { key: string; sloId: string; sli: string; label: string; region: string; cells: Record<number, DepletionRow> }
  >();
  for (const r of rows) {
    const key = `${r.sloId}|${r.region}`;
    const g = byKey.get(key) ?? {
      key,
      sloId: r.sloId,
      sli: r.sli,
      label: `${r.endpoint ?? r.name} ${r.objectivePercent}%`,
      region: r.region,
      cells: {},
    };
    g.cells[r.period.start] = r;
    byKey.set(key, g);
  }
  return { periods, rows: [...byKey.values()].sort((a, b) => a.sli.localeCompare(b.sli) || a.label.localeCompare(b.label)) };
}

import type {
  IncidentResponse,
  IndicatorsResponse,
  OverviewResponse,
  PeriodsResponse,
} from "@burnrate/contracts";

export const CSV_TYPE = "text/csv; charset=utf-8";

/** The client asked for CSV: `Accept: text/csv` (before any JSON type), or `?format=csv`. */
export function wantsCsv(accept: string | undefined, format?: string): boolean {
  if (format === "csv") return true;
  if (!accept) return false;
  const types = accept
    .split(",")
    .map((t) => t.split(";")[0]!.trim().toLowerCase())
    .filter(Boolean);
  const csv = types.indexOf("text/csv");
  if (csv < 0) return false;
  const json = types.findIndex((t) => t === "application/json");
  return json < 0 || csv < json;
}

type Cell = string | number | boolean | null | undefined;

/**
 * One field as RFC 4180 text: null is empty, numbers are written in full (JavaScript's shortest round-trip
 * form), text is quoted when it holds a comma, quote or line break. Text that a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) is prefixed with a quote mark.
 */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

const REF_COLUMNS = [
  "sloId",
  "name",
  "service",
  "team",
  "endpoint",
  "sli",
  "objectivePercent",
  "kind",
  "region",
] as const;
const DATE_COLUMNS = [
  "timeZone",
  "firstDay",
  "lastDay",
  "days",
  "exhaustedOn",
  "exhaustedDay",
  "historyDays",
] as const;

/** The periods grid, one line per SLO × region × period (oldest period first, as in the JSON). */
export function periodsCsv(r: PeriodsResponse): string {
  const header = [
    ...REF_COLUMNS,
    "windowLabel",
    "periodIndex",
    "start",
    "end",
    "complete",
    "remainingAtEnd",
    "adherence",
    "exhausted",
    "exhaustedAt",
    "timeToExhaustionHours",
    ...DATE_COLUMNS,
  ];
  const rows: Cell[][] = [];
  for (const row of r.rows)
    row.cells.forEach((c, i) =>
      rows.push([
        ...REF_COLUMNS.map((k) => row[k]),
        row.windowLabel,
        i,
        c.start,
        c.end,
        c.complete,
        c.remainingAtEnd,
        c.adherence,
        c.exhausted,
        c.exhaustedAt,
        c.timeToExhaustionHours,
        c.dates.timeZone,
        c.dates.firstDay,
        c.dates.lastDay,
        c.dates.days,
        c.exhaustedOn,
        c.exhaustedDay,
        c.historyDays,
      ]),
    );
  return toCsv(header, rows);
}

export const INDICATOR_TABLES = ["depletion", "slosByService", "leastAvailable", "slowest"] as const;
export type IndicatorTable = (typeof INDICATOR_TABLES)[number];

/** One table of the indicators answer as CSV (depletion episodes: their count and the fastest speed). */
export function indicatorsCsv(r: IndicatorsResponse, table: IndicatorTable): string {
  if (table === "slosByService") {
    const cols = [
      ...REF_COLUMNS.filter((k) => k !== "region"),
      "windowLabel",
      "periodDays",
      "daysLeft",
    ] as const;
    return toCsv(
      [...cols],
      r.slosByService.map((s) => cols.map((k) => s[k])),
    );
  }
  if (table === "leastAvailable" || table === "slowest") {
    const cols = [
      "service",
      "team",
      "endpoint",
      "region",
      "total",
      "good",
      "availability",
      "p50Ms",
      "p95Ms",
      "p99Ms",
    ] as const;
    return toCsv(
      [...cols],
      r[table].map((s) => cols.map((k) => s[k])),
    );
  }
  const header = [
    ...REF_COLUMNS,
    "periodStart",
    "periodEnd",
    "complete",
    "remainingAtEnd",
    "adherence",
    "averageSpeedPercentPerHour",
    "maxSpeedPercentPerHour",
    "episodes",
    "exhausted",
    "exhaustedAt",
    "timeToExhaustionHours",
    ...DATE_COLUMNS,
  ];
  return toCsv(
    header,
    r.depletion.map((d) => [
      ...REF_COLUMNS.map((k) => d[k]),
      d.period.start,
      d.period.end,
      d.complete,
      d.remainingAtEnd,
      d.adherence,
      d.averageSpeedPercentPerHour,
      d.maxSpeedPercentPerHour,
      d.episodes.length,
      d.exhausted,
      d.exhaustedAt,
      d.timeToExhaustionHours,
      d.dates.timeZone,
      d.dates.firstDay,
      d.dates.lastDay,
      d.dates.days,
      d.exhaustedOn,
      d.exhaustedDay,
      d.historyDays,
    ]),
  );
}

/** The overview, one line per SLO × region (firing first, as in the JSON). */
export function overviewCsv(r: OverviewResponse): string {
  const cols = [
    "good",
    "total",
    "sliRatio",
    "remainingFraction",
    "burnRate1h",
    "burnRate6h",
    "timeToExhaustionHours",
    "firing",
    "alertSeverity",
    "state",
  ] as const;
  return toCsv(
    [...REF_COLUMNS, "sentence", ...cols],
    r.rows.map((row) => [...REF_COLUMNS.map((k) => row[k]), row.sentence, ...cols.map((k) => row[k])]),
  );
}

/** The incidents list, one line per incident; its teams, services and regions separated by spaces. */
export function incidentsCsv(list: IncidentResponse[]): string {
  const cols = [
    "id",
    "number",
    "title",
    "state",
    "priority",
    "severity",
    "startedAt",
    "detectedAt",
    "acknowledgedAt",
    "resolvedAt",
    "ttdMinutes",
    "ttaMinutes",
    "ttrMinutes",
  ] as const;
  return toCsv(
    [...cols, "teams", "services", "regions"],
    list.map((i) => [...cols.map((k) => i[k]), i.teams.join(" "), i.services.join(" "), i.regions.join(" ")]),
  );
}

import { ALL_REGIONS_KEY, type LabelledMetricSnapshot } from "@burnrate/db";

/** The media type of the Prometheus text exposition format that `writeSloExposition` writes. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The label value of the all-regions aggregate. */
export const ALL_REGIONS_LABEL = "all";

/** A label value as the exposition format escapes it: backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** A sample value: the shortest text that reads back as the same float64 (Go's ParseFloat reads it). */
export function formatSampleValue(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "+Inf";
  if (n === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(n);
}

type Name =
  | "burnrate_slo_sli_ratio"
  | "burnrate_slo_burn_rate"
  | "burnrate_slo_error_budget_remaining_ratio"
  | "burnrate_slo_objective_ratio"
  | "burnrate_slo_events_total"
  | "burnrate_slo_alert_firing"
  | "burnrate_slo_evaluation_timestamp_seconds";
interface Family {
  name: Name;
  type: "gauge" | "counter";
  help: string;
}

/** The series of GET /metrics/slos, in the order they are written. */
export const SLO_FAMILIES: readonly Family[] = [
  {
    name: "burnrate_slo_sli_ratio",
    type: "gauge",
    help: 'SLI (good / total events) over the window; window="period" is the SLO period so far. Absent: no data.',
  },
  {
    name: "burnrate_slo_burn_rate",
    type: "gauge",
    help: "Burn rate over the window: (bad / total) / (1 - objective); 1 spends exactly the budget in the period. Absent: no data.",
  },
  {
    name: "burnrate_slo_error_budget_remaining_ratio",
    type: "gauge",
    help: "Error budget remaining in the current period, as a fraction (below 0: debt).",
  },
  {
    name: "burnrate_slo_objective_ratio",
    type: "gauge",
    help: "The SLO's objective as a fraction (99.9% is 0.999).",
  },
  {
    name: "burnrate_slo_events_total",
    type: "counter",
    help: "Good and bad events in the current period so far; starts again from 0 at each period start.",
  },
  {
    name: "burnrate_slo_alert_firing",
    type: "gauge",
    help: "1 when a burn-rate tier of this severity fires at the last evaluation, else 0.",
  },
  {
    name: "burnrate_slo_evaluation_timestamp_seconds",
    type: "gauge",
    help: "When the worker evaluated these numbers (Unix seconds): a scrape shows the last evaluation's snapshot.",
  },
];

/** The samples of one family for one SLO × region, each line starting with `prefix` (name and labels). */
function familyLines(name: Name, s: LabelledMetricSnapshot, prefix: string): string {
  const line = (extra: string, v: number | null) =>
    v === null ? "" : `${prefix}${extra}} ${formatSampleValue(v)}\n`;
  let out = "";
  switch (name) {
    case "burnrate_slo_sli_ratio":
      for (const w of s.windows) out += line(`,window="${w.window}"`, w.sli);
      return out + line(`,window="period"`, s.sli);
    case "burnrate_slo_burn_rate":
      for (const w of s.windows) out += line(`,window="${w.window}"`, w.burnRate);
      return out;
    case "burnrate_slo_error_budget_remaining_ratio":
      return line("", s.remaining);
    case "burnrate_slo_objective_ratio":
      return line("", s.objective);
    case "burnrate_slo_events_total":
      return line(`,class="good"`, s.good) + line(`,class="bad"`, s.bad);
    case "burnrate_slo_alert_firing":
      return (
        line(`,severity="page"`, s.pageFiring ? 1 : 0) + line(`,severity="ticket"`, s.ticketFiring ? 1 : 0)
      );
    case "burnrate_slo_evaluation_timestamp_seconds":
      return line("", s.evaluatedAtMs / 1000);
  }
}

/** Rows whose lines are encoded together: big enough to cost few buffers, small enough to never build one huge string. */
const ROWS_PER_CHUNK = 256;

/** The labels every series of an SLO × region carries. */
function baseLabels(s: LabelledMetricSnapshot): string {
  const region = s.regionKey === ALL_REGIONS_KEY ? ALL_REGIONS_LABEL : s.regionKey;
  return (
    `slo_id="${escapeLabelValue(s.sloId)}",slo="${escapeLabelValue(s.slo)}",` +
    `service="${escapeLabelValue(s.service)}",team="${escapeLabelValue(s.team)}",` +
    `region="${escapeLabelValue(region)}",sli_type="${escapeLabelValue(s.sliType)}"`
  );
}

/**
 * The snapshots in the Prometheus text exposition format (0.0.4): each family once, with HELP and TYPE, all
 * its samples together; label values escaped; a null value (no data) writes no sample. No timestamps:
 * Prometheus stamps the scrape. UTF-8 bytes, encoded a chunk of rows at a time.
 */
export function writeSloExposition(snapshots: readonly LabelledMetricSnapshot[]): Buffer {
  const labels = snapshots.map(baseLabels);
  const out: Buffer[] = [];
  for (const f of SLO_FAMILIES) {
    out.push(Buffer.from(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`));
    for (let i = 0; i < snapshots.length; i += ROWS_PER_CHUNK) {
      let chunk = "";
      const end = Math.min(snapshots.length, i + ROWS_PER_CHUNK);
      for (let j = i; j < end; j++) chunk += familyLines(f.name, snapshots[j]!, `${f.name}{${labels[j]}`);
      out.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(out);
}

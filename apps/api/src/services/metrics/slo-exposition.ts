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

type Sample = [extraLabels: string, value: number | null];
interface Family {
  name: string;
  type: "gauge" | "counter";
  help: string;
  samples: (s: LabelledMetricSnapshot) => Sample[];
}

/** The series of GET /metrics/slos, in the order they are written. A null value (no data) writes no sample. */
export const SLO_FAMILIES: readonly Family[] = [
  {
    name: "burnrate_slo_sli_ratio",
    type: "gauge",
    help: 'SLI (good / total events) over the window; window="period" is the SLO period so far. Absent: no data.',
    samples: (s) => [
      ...s.windows.map((w): Sample => [`window="${w.window}"`, w.sli]),
      [`window="period"`, s.sli],
    ],
  },
  {
    name: "burnrate_slo_burn_rate",
    type: "gauge",
    help: "Burn rate over the window: (bad / total) / (1 - objective); 1 spends exactly the budget in the period. Absent: no data.",
    samples: (s) => s.windows.map((w): Sample => [`window="${w.window}"`, w.burnRate]),
  },
  {
    name: "burnrate_slo_error_budget_remaining_ratio",
    type: "gauge",
    help: "Error budget remaining in the current period, as a fraction (below 0: debt).",
    samples: (s) => [["", s.remaining]],
  },
  {
    name: "burnrate_slo_objective_ratio",
    type: "gauge",
    help: "The SLO's objective as a fraction (99.9% is 0.999).",
    samples: (s) => [["", s.objective]],
  },
  {
    name: "burnrate_slo_events_total",
    type: "counter",
    help: "Good and bad events in the current period so far; starts again from 0 at each period start.",
    samples: (s) => [
      [`class="good"`, s.good],
      [`class="bad"`, s.bad],
    ],
  },
  {
    name: "burnrate_slo_alert_firing",
    type: "gauge",
    help: "1 when a burn-rate tier of this severity fires at the last evaluation, else 0.",
    samples: (s) => [
      [`severity="page"`, s.pageFiring ? 1 : 0],
      [`severity="ticket"`, s.ticketFiring ? 1 : 0],
    ],
  },
  {
    name: "burnrate_slo_evaluation_timestamp_seconds",
    type: "gauge",
    help: "When the worker evaluated these numbers (Unix seconds): a scrape shows the last evaluation's snapshot.",
    samples: (s) => [["", s.evaluatedAtMs / 1000]],
  },
];

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
 * its samples together; label values escaped. No timestamps: Prometheus stamps the scrape.
 */
export function writeSloExposition(snapshots: readonly LabelledMetricSnapshot[]): string {
  const labels = snapshots.map(baseLabels);
  const out: string[] = [];
  for (const f of SLO_FAMILIES) {
    out.push(
      `# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n# TYPE ${f.name} ${f.type}\n`,
    );
    snapshots.forEach((s, i) => {
      let chunk = "";
      for (const [extra, value] of f.samples(s)) {
        if (value === null) continue;
        chunk += `${f.name}{${labels[i]}${extra ? `,${extra}` : ""}} ${formatSampleValue(value)}\n`;
      }
      if (chunk) out.push(chunk);
    });
  }
  return out.join("");
}

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
  | "burnrate_slo_period_events"
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
    name: "burnrate_slo_period_events",
    type: "gauge",
    help: "Good and bad requests in the SLO period so far (a gauge: a rolling window drops old events, a calendar period starts again from 0).",
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

/** Calls `emit` with each sample of one family for one SLO × region: its extra labels and value (null: no data). */
function eachSample(
  name: Name,
  s: LabelledMetricSnapshot,
  emit: (extra: string, v: number | null) => void,
): void {
  switch (name) {
    case "burnrate_slo_sli_ratio":
      for (const w of s.windows) emit(`,window="${w.window}"`, w.sli);
      return emit(`,window="period"`, s.sli);
    case "burnrate_slo_burn_rate":
      for (const w of s.windows) emit(`,window="${w.window}"`, w.burnRate);
      return;
    case "burnrate_slo_error_budget_remaining_ratio":
      return emit("", s.remaining);
    case "burnrate_slo_objective_ratio":
      return emit("", s.objective);
    case "burnrate_slo_period_events":
      emit(`,class="good"`, s.good);
      return emit(`,class="bad"`, s.bad);
    case "burnrate_slo_alert_firing":
      emit(`,severity="page"`, s.pageFiring ? 1 : 0);
      return emit(`,severity="ticket"`, s.ticketFiring ? 1 : 0);
    case "burnrate_slo_evaluation_timestamp_seconds":
      return emit("", s.evaluatedAtMs / 1000);
  }
}

/** Bytes appended to one growing buffer: a scrape of 10,000 SLO × region is tens of MB, built without one huge string. */
class ByteWriter {
  private buf: Buffer;
  private off = 0;
  constructor(sizeHint: number) {
    this.buf = Buffer.allocUnsafe(sizeHint);
  }
  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }
  bytes(b: Buffer): void {
    this.room(b.length);
    this.off += b.copy(this.buf, this.off);
  }
  /** Text known to be ASCII (label names, window names, numbers): one byte per character. */
  ascii(t: string): void {
    this.room(t.length);
    this.off += this.buf.write(t, this.off, "latin1");
  }
  done(): Buffer {
    return this.buf.subarray(0, this.off);
  }
}

/** About the bytes one SLO × region takes, so the buffer rarely grows. */
const BYTES_PER_ROW_HINT = 4096;

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
 * Prometheus stamps the scrape. UTF-8 bytes: each row's labels are encoded once and copied into every line.
 */
export function writeSloExposition(snapshots: readonly LabelledMetricSnapshot[]): Buffer {
  const labels = snapshots.map((s) => Buffer.from(baseLabels(s), "utf8"));
  const out = new ByteWriter(snapshots.length * BYTES_PER_ROW_HINT + 4096);
  for (const f of SLO_FAMILIES) {
    out.ascii(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`);
    const name = Buffer.from(`${f.name}{`);
    snapshots.forEach((s, i) =>
      eachSample(f.name, s, (extra, v) => {
        if (v === null) return;
        out.bytes(name);
        out.bytes(labels[i]!);
        out.ascii(`${extra}} ${formatSampleValue(v)}\n`);
      }),
    );
  }
  return out.done();
}

import type { LabelledMetricSnapshot } from "@burnrate/db";
import { describe, expect, it } from "vitest";
import { escapeLabelValue, formatSampleValue, writeSloExposition } from "./slo-exposition";

const snap = (over: Partial<LabelledMetricSnapshot> = {}): LabelledMetricSnapshot => ({
  sloId: "0b0e3c1e-0000-4000-8000-000000000001",
  regionKey: "prod-eu",
  evaluatedAtMs: 1_765_000_000_000,
  objective: 0.999,
  good: 9_990,
  bad: 10,
  sli: 0.999,
  remaining: 0,
  windows: [
    { window: "5m", sli: 0.9, burnRate: 100.00000000000009 },
    { window: "1h", sli: null, burnRate: null },
  ],
  pageFiring: true,
  ticketFiring: false,
  slo: "checkout",
  service: "shop",
  team: "payments",
  sliType: "availability",
  ...over,
});

describe("escapeLabelValue", () => {
  it.each([
    { raw: "plain", expected: "plain" },
    { raw: 'say "hi"', expected: 'say \\"hi\\"' },
    { raw: "C:\\path", expected: "C:\\\\path" },
    { raw: "two\nlines", expected: "two\\nlines" },
    { raw: '\\"\n', expected: '\\\\\\"\\n' },
    { raw: "tab\tand ünïcode", expected: "tab\tand ünïcode" },
  ])("$raw", ({ raw, expected }) => {
    expect(escapeLabelValue(raw)).toBe(expected);
  });
});

describe("formatSampleValue", () => {
  it.each([
    { n: 0.1 + 0.2, expected: "0.30000000000000004" },
    { n: 1e-7, expected: "1e-7" },
    { n: -0.5, expected: "-0.5" },
    { n: Number.POSITIVE_INFINITY, expected: "+Inf" },
    { n: Number.NEGATIVE_INFINITY, expected: "-Inf" },
    { n: Number.NaN, expected: "NaN" },
  ])("$n", ({ n, expected }) => {
    expect(formatSampleValue(n)).toBe(expected);
    if (Number.isFinite(n)) expect(Number(formatSampleValue(n))).toBe(n);
  });
});

describe("writeSloExposition", () => {
  const text = writeSloExposition([
    snap(),
    snap({ regionKey: "*", slo: 'odd "name"\\ with\nnewline', pageFiring: false }),
  ]).toString("utf8");
  const lines = text.trimEnd().split("\n");

  it("writes each family once, HELP and TYPE first, its samples together", () => {
    const families = lines.filter((l) => l.startsWith("# TYPE")).map((l) => l.split(" ")[2]);
    expect(families).toEqual([
      "burnrate_slo_sli_ratio",
      "burnrate_slo_burn_rate",
      "burnrate_slo_error_budget_remaining_ratio",
      "burnrate_slo_objective_ratio",
      "burnrate_slo_period_events",
      "burnrate_slo_alert_firing",
      "burnrate_slo_evaluation_timestamp_seconds",
    ]);
    let current = "";
    for (const l of lines) {
      if (l.startsWith("# TYPE")) current = l.split(" ")[2]!;
      else if (!l.startsWith("#")) expect(l.startsWith(`${current}{`)).toBe(true);
    }
  });

  it("labels every sample with the SLO, service, team, region and SLI type, escaped", () => {
    expect(lines).toContain(
      'burnrate_slo_burn_rate{slo_id="0b0e3c1e-0000-4000-8000-000000000001",slo="checkout",service="shop",' +
        'team="payments",region="prod-eu",sli_type="availability",window="5m"} 100.00000000000009',
    );
    expect(text).toContain(
      'slo="odd \\"name\\"\\\\ with\\nnewline",service="shop",team="payments",region="all"',
    );
  });

  it("leaves out windows with no data, and writes the period SLI, events and alert state", () => {
    expect(text).not.toMatch(/window="1h"/);
    expect(text).toMatch(/burnrate_slo_sli_ratio\{[^}]*region="prod-eu"[^}]*,window="period"\} 0\.999\n/);
    expect(text).toMatch(/burnrate_slo_period_events\{[^}]*region="prod-eu"[^}]*,class="bad"\} 10\n/);
    expect(text).toMatch(/burnrate_slo_alert_firing\{[^}]*region="prod-eu"[^}]*,severity="page"\} 1\n/);
    expect(text).toMatch(/burnrate_slo_alert_firing\{[^}]*region="all"[^}]*,severity="page"\} 0\n/);
    expect(text).toMatch(/burnrate_slo_evaluation_timestamp_seconds\{[^}]*\} 1765000000\n/);
  });

  it("writes HELP and TYPE and nothing else when there is no SLO", () => {
    expect(
      writeSloExposition([])
        .toString("utf8")
        .trimEnd()
        .split("\n")
        .every((l) => l.startsWith("# ")),
    ).toBe(true);
  });
});

it("encodes rows past a chunk boundary and non-ASCII names as UTF-8", () => {
  const many = Array.from({ length: 600 }, (_, i) => snap({ sloId: `id-${i}`, slo: `crème brûlée ${i}` }));
  const text = writeSloExposition(many).toString("utf8");
  expect(text.match(/^burnrate_slo_objective_ratio\{/gm)).toHaveLength(600);
  expect(text).toContain('slo_id="id-599",slo="crème brûlée 599"');
});

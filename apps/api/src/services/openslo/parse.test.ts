import { describe, expect, it } from "vitest";
import { parseOpenSlo } from "./parse";

/** A v1 file: a Service and an SLO with an inline ratio SLI, with `sloSpec` and `extra` documents added. */
function v1(sloSpec = "", extra = "", sloMeta = ""): string {
  return `apiVersion: openslo/v1
kind: Service
metadata: {name: shop}
spec: {}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: shop-errors
${sloMeta}spec:
  service: shop
  indicator:
    metadata: {name: shop-errors}
    spec:
      ratioMetric:
        good: {metricSource: {type: burnrate.requests, spec: {filter: status < 500}}}
        total: {metricSource: {type: burnrate.requests, spec: {filter: "true"}}}
  timeWindow: [{duration: 28d, isRolling: true}]
  budgetingMethod: Occurrences
${sloSpec}${extra ? `---\n${extra}` : ""}`;
}
const OBJECTIVE = "  objectives: [{target: 0.99}]\n";
const POLICY = "  alertPolicies: [{alertPolicyRef: fast}]\n";

/** An AlertPolicy `fast` with an inline condition; `spec` and `cond` add keys. */
function policy(spec = "", cond = "lookbackWindow: 1h", meta = ""): string {
  return `apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: fast
${meta}spec:
${spec}  conditions:
    - kind: AlertCondition
      metadata: {name: fast}
      spec:
        severity: page
        condition: {kind: burnrate, op: gt, threshold: 14.4, ${cond}}
`;
}

const errorsOf = (yaml: string) =>
  parseOpenSlo(yaml).errors.map((e) => `${e.document} ${e.kind} ${e.name} ${e.field}: ${e.message}`);
const warningsOf = (yaml: string) => parseOpenSlo(yaml).warnings;

describe("parseOpenSlo: nothing is dropped in silence", () => {
  it("reads a plain file with no errors and no warnings", () => {
    const r = parseOpenSlo(v1(OBJECTIVE + POLICY, policy()));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.slos[0]!.input.alerting).toEqual({
      tiers: [
        {
          name: "fast",
          severity: "page",
          longWindowMinutes: 60,
          shortWindowMinutes: null,
          factor: 14.4,
          enabled: true,
        },
      ],
    });
  });

  it.each([
    {
      what: "a misspelled key",
      yaml: v1(OBJECTIVE + "  alertpolicies: [{alertPolicyRef: fast}]\n", policy()),
      error:
        "2 SLO shop-errors spec.alertpolicies: unknown key 'alertpolicies' in openslo/v1 SLO (did you mean 'alertPolicies'?)",
    },
    {
      what: "an unknown key deep in an inline indicator",
      yaml: v1(OBJECTIVE + POLICY, policy()).replace("ratioMetric:", "ratioMetric:\n        counters: true"),
      error: "2 SLO shop-errors spec.indicator.spec.ratioMetric.counters: unknown key 'counters'",
    },
    {
      what: "an unknown key in a policy's inline condition",
      yaml: v1(OBJECTIVE + POLICY, policy("", "lookbackWindow: 1h, alertafter: 5m")),
      error:
        "3 AlertPolicy fast spec.conditions[0].spec.condition.alertafter: unknown key 'alertafter' in openslo/v1 AlertPolicy (did you mean 'alertAfter'?)",
    },
    {
      what: "an unknown metadata key",
      yaml: v1(OBJECTIVE, "", "  label: {team: x}\n"),
      error: "2 SLO shop-errors metadata.label: unknown key 'label'",
    },
    {
      what: "alertWhenBreaching: false",
      yaml: v1(OBJECTIVE + POLICY, policy("  alertWhenBreaching: false\n")),
      error: "3 AlertPolicy fast spec.alertWhenBreaching: false is not supported",
    },
    {
      what: "a timeSliceTarget other than the target",
      yaml: v1(
        OBJECTIVE.replace("target: 0.99", "target: 0.99, timeSliceTarget: 0.95") + POLICY,
        policy(),
      ).replace("Occurrences", "Timeslices"),
      error: "2 SLO shop-errors spec.objectives[0].timeSliceTarget: must equal the objective's target (0.99)",
    },
    {
      what: "a composite objective",
      yaml: v1("  objectives: [{target: 0.99, compositeWeight: 2}]\n" + POLICY, policy()),
      error: "2 SLO shop-errors spec.objectives[0].compositeWeight: composite SLOs",
    },
    {
      what: "a calendar on a rolling window",
      yaml: v1(OBJECTIVE + POLICY, policy()).replace(
        "isRolling: true}",
        "isRolling: true, calendar: {timeZone: UTC}}",
      ),
      error: "2 SLO shop-errors spec.timeWindow[0].calendar: cannot be set when isRolling is true",
    },
    {
      what: "a calendar startTime that is not a date and time",
      yaml: v1(OBJECTIVE + POLICY, policy()).replace(
        "{duration: 28d, isRolling: true}",
        "{duration: 1M, isRolling: false, calendar: {startTime: yesterday}}",
      ),
      error: "2 SLO shop-errors spec.timeWindow[0].calendar.startTime: must be a date and time",
    },
    {
      what: "an AlertPolicy no SLO uses",
      yaml: v1(OBJECTIVE, policy("", "lookbackWindow: 1 hour")),
      error: "3 AlertPolicy fast spec.conditions[0].spec.condition.lookbackWindow: must be a duration",
    },
    {
      what: "an SLI no SLO uses",
      yaml: v1(
        OBJECTIVE,
        "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: lonely}\nspec:\n  ratioMetric:\n    good: {metricSource: {type: burnrate.requests, spec: {filter: 'status <'}}}\n    total: {metricSource: {type: burnrate.requests, spec: {filter: 'true'}}}\n",
      ),
      error: "3 SLI lonely spec.ratioMetric.good.metricSource.spec.filter:",
    },
    {
      what: "an AlertCondition no SLO uses",
      yaml: v1(
        OBJECTIVE,
        "apiVersion: openslo/v1\nkind: AlertCondition\nmetadata: {name: lonely}\nspec:\n  severity: pager\n  condition: {kind: burnrate, op: gt, threshold: 2, lookbackWindow: 1h}\n",
      ),
      error: "3 AlertCondition lonely spec.severity: must be 'page' or 'ticket'",
    },
    {
      what: "a key a metric of Burnrate's request logs does not read",
      yaml: v1(OBJECTIVE + POLICY, policy()).replace(
        "{filter: status < 500}",
        "{filter: status < 500, query: up}",
      ),
      error:
        "2 SLO shop-errors spec.indicator.spec.ratioMetric.good.metricSource.spec.query: unknown key 'query': a ratio metric of Burnrate's request logs reads filter and endpoint",
    },
    {
      what: "a v1alpha kind that only v1 has",
      yaml: "apiVersion: openslo/v1alpha\nkind: AlertPolicy\nmetadata: {name: x}\nspec: {}\n",
      error: "1 AlertPolicy x kind: openslo/v1alpha has no kind AlertPolicy",
    },
  ])("refuses $what, naming the document and the field", ({ yaml, error }) => {
    const errors = errorsOf(yaml);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });

  it.each([
    {
      what: "alertAfter",
      yaml: v1(OBJECTIVE + POLICY, policy("", "lookbackWindow: 1h, alertAfter: 5m")),
      warning:
        "document 3 (AlertPolicy fast): field spec.conditions[0].spec.condition.alertAfter: 5m is not waited for",
    },
    {
      what: "alertWhenNoData: true",
      yaml: v1(OBJECTIVE + POLICY, policy("  alertWhenNoData: true\n")),
      warning: "document 3 (AlertPolicy fast): field spec.alertWhenNoData: true is not a tier's",
    },
    {
      what: "alertWhenResolved: false",
      yaml: v1(OBJECTIVE + POLICY, policy("  alertWhenResolved: false\n")),
      warning: "document 3 (AlertPolicy fast): field spec.alertWhenResolved: false is not followed",
    },
    {
      what: "an email notification target",
      yaml:
        v1(OBJECTIVE + POLICY, policy("  notificationTargets: [{targetRef: mail}]\n")) +
        "---\napiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: mail}\nspec: {target: email, description: oncall@example.com}\n",
      warning:
        "document 4 (AlertNotificationTarget mail): field spec.target: 'email' is not delivered by Burnrate",
    },
    {
      what: "an inline email target",
      yaml: v1(
        OBJECTIVE + POLICY,
        policy(
          "  notificationTargets: [{kind: AlertNotificationTarget, metadata: {name: m}, spec: {target: email}}]\n",
        ),
      ),
      warning:
        "document 3 (AlertPolicy fast): field spec.notificationTargets[0].spec.target: 'email' is not delivered by Burnrate",
    },
    {
      what: "an email target no policy uses",
      yaml: v1(
        OBJECTIVE + POLICY,
        policy() +
          "---\n" +
          "apiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: mail}\nspec: {target: email}\n",
      ),
      warning: "document 4 (AlertNotificationTarget mail): field spec.target: 'email' is not delivered",
    },
    {
      what: "a calendar startTime off Burnrate's period starts",
      yaml: v1(OBJECTIVE + POLICY, policy()).replace(
        "{duration: 28d, isRolling: true}",
        '{duration: 1M, isRolling: false, calendar: {startTime: "2022-01-15 12:00:00", timeZone: Europe/Berlin}}',
      ),
      warning:
        "document 2 (SLO shop-errors): field spec.timeWindow[0].calendar.startTime: 2022-01-15 12:00:00 is not used: Burnrate's months start at midnight on the 1st in Europe/Berlin",
    },
    {
      what: "timeSliceTarget on an Occurrences SLO",
      yaml: v1(OBJECTIVE.replace("target: 0.99", "target: 0.99, timeSliceTarget: 0.9") + POLICY, policy()),
      warning: "document 2 (SLO shop-errors): field spec.objectives[0].timeSliceTarget: ignored",
    },
    {
      what: "labels Burnrate does not keep",
      yaml: v1(OBJECTIVE + POLICY, policy(), "  labels: {env: [prod], tier: [gold]}\n"),
      warning:
        "document 2 (SLO shop-errors): field metadata.labels.env: ignored: Burnrate keeps no labels of SLO documents; dropped: env, tier",
    },
    {
      what: "an objective's own displayName",
      yaml: v1(OBJECTIVE.replace("target: 0.99", "target: 0.99, displayName: Good") + POLICY, policy()),
      warning:
        "document 2 (SLO shop-errors): field spec.objectives[0].displayName: ignored: a Burnrate SLO has one objective, named by the SLO ('shop-errors')",
    },
    {
      what: "an SLO without alert policies",
      yaml: v1(OBJECTIVE),
      warning:
        "document 2 (SLO shop-errors): field spec.alertPolicies: none given: the SLO alerts with Burnrate's default tiers (fast-page 1h/5m, slow-page 6h/30m, fast-ticket 1d/2h, slow-ticket 3d/6h)",
    },
  ])("warns about $what, naming the document and the field", ({ yaml, warning }) => {
    const r = parseOpenSlo(yaml);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(warning);
  });

  it("gives an SLO without policies the default tiers, and none with burnrate.io/alerting: none", () => {
    expect(parseOpenSlo(v1(OBJECTIVE)).slos[0]!.input.alerting).toEqual({});
    const none = parseOpenSlo(v1(OBJECTIVE, "", "  annotations: {burnrate.io/alerting: none}\n"));
    expect(none.warnings).toEqual([]);
    expect(none.slos[0]!.input.alerting).toEqual({
      disabledTiers: ["fast-page", "slow-page", "fast-ticket", "slow-ticket"],
    });
    expect(
      errorsOf(v1(OBJECTIVE + POLICY, policy(), "  annotations: {burnrate.io/alerting: none}\n")),
    ).toEqual([
      expect.stringContaining(
        "metadata.annotations.burnrate.io/alerting: 'none' says the SLO alerts on nothing",
      ),
    ]);
  });

  it("keeps a single lookback window single, and reads the short window only from the annotation", () => {
    const single = parseOpenSlo(v1(OBJECTIVE + POLICY, policy()));
    expect(single.slos[0]!.input.alerting?.tiers?.[0]).toMatchObject({
      longWindowMinutes: 60,
      shortWindowMinutes: null,
    });
    const two = parseOpenSlo(
      v1(OBJECTIVE + POLICY, policy("", undefined, "  annotations: {burnrate.io/short-window: 5m}\n")),
    );
    expect(two.slos[0]!.input.alerting?.tiers?.[0]).toMatchObject({
      longWindowMinutes: 60,
      shortWindowMinutes: 5,
    });
  });

  it.each([
    ["2024-01-01 00:00:00", "1M", true],
    ["2024-04-01 00:00:00", "1Q", true],
    ["2024-02-01 00:00:00", "1Q", false],
    ["2024-01-01 00:00:00", "4w", true], // Monday of ISO week 1
    ["2024-01-29 00:00:00", "4w", true], // Monday of ISO week 5
    ["2024-01-08 00:00:00", "4w", false], // Monday of ISO week 2
    ["2020-12-28 00:00:00", "4w", false], // Monday of ISO week 53 (joins period 13)
  ])("calendar startTime %s for %s is Burnrate's own period start: %s", (start, duration, aligned) => {
    const yaml = v1(OBJECTIVE + POLICY, policy()).replace(
      "{duration: 28d, isRolling: true}",
      `{duration: ${duration}, isRolling: false, calendar: {startTime: "${start}"}}`,
    );
    expect(errorsOf(yaml)).toEqual([]);
    expect(warningsOf(yaml)).toHaveLength(aligned ? 0 : 1);
  });

  it("accepts a timeSliceTarget equal to the target", () => {
    const yaml = v1(
      OBJECTIVE.replace("target: 0.99", "target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 1m") + POLICY,
      policy(),
    ).replace("Occurrences", "Timeslices");
    const r = parseOpenSlo(yaml);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.slos[0]!.input.budgetingMethod).toBe("timeslices");
  });
});

describe("parseOpenSlo: v1alpha", () => {
  const alpha = (objective: string, indicator = "") => `apiVersion: openslo/v1alpha
kind: SLO
metadata: {name: web, displayName: Web}
spec:
  service: web
  budgetingMethod: Occurrences
  timeWindows: [{unit: Day, count: 28, isRolling: true}]
${indicator}  objectives:
${objective}`;

  it("reads a thresholdMetric SLI with op lte and value", () => {
    const r = parseOpenSlo(
      alpha(
        "    - {displayName: fast, op: lte, value: 300, target: 0.99}\n",
        "  indicator:\n    thresholdMetric: {source: burnrate.requests, queryType: field, query: durationMs}\n",
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.slos[0]!.input).toMatchObject({
      sli: { type: "latency", thresholdMs: 300 },
      objectivePercent: 99,
    });
  });

  it("reads a ratio objective with value (as v1alpha's Go SDK requires), warning that it means nothing", () => {
    const r = parseOpenSlo(
      alpha(`    - target: 0.995
      value: 1
      ratioMetrics:
        incremental: true
        good: {source: burnrate.requests, queryType: filter, query: status < 500}
        total: {source: burnrate.requests, queryType: filter, query: "true"}
`),
    );
    expect(r.errors).toEqual([]);
    expect(r.slos[0]!.input.sli).toEqual({ type: "ratio", good: "status < 500", total: "true" });
    expect(r.warnings).toEqual([
      expect.stringContaining("document 1 (SLO web): field spec.objectives[0].value: ignored"),
      expect.stringContaining("field spec.alertPolicies: none given"),
    ]);
  });

  it("refuses an unknown v1alpha key, naming it", () => {
    expect(errorsOf(alpha("    - {target: 0.99, ratioMetric: {}}\n"))[0]).toContain(
      "1 SLO web spec.objectives[0].ratioMetric: unknown key 'ratioMetric' in openslo/v1alpha SLO",
    );
  });
});

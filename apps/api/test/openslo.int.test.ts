import { canonicalFilter } from "@burnrate/ingest/filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeAlerting } from "../src/services/openslo/model";
import { call, startStack, type Stack } from "./harness";
import { WORKBOOK_EXAMPLE, seedCatalog } from "./openslo-fixtures";

async function exportYaml(stack: Stack, query = ""): Promise<string> {
  const res = await stack.app.inject({
    method: "GET",
    url: `/api/v1/openslo/export${query}`,
    headers: { authorization: `Bearer ${stack.token}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/yaml/);
  return res.body;
}
async function importYaml(stack: Stack, yaml: string, query = "") {
  const res = await stack.app.inject({
    method: "POST",
    url: `/api/v1/openslo/import${query}`,
    headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/yaml" },
    payload: yaml,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any> };
}
const SLO_FIELDS = [
  "service",
  "team",
  "name",
  "description",
  "endpoint",
  "sli",
  "objectivePercent",
  "budgetingMethod",
  "priority",
  "journeyStep",
  "customerSegment",
  "runbookUrl",
] as const;
async function sloShapes(stack: Stack) {
  const list = (await call(stack, "GET", "/api/v1/slos")).body as unknown as Record<string, any>[];
  return list
    .map((s): Record<string, unknown> => ({
      ...Object.fromEntries(SLO_FIELDS.map((f) => [f, s[f]])),
      sli:
        s.sli.type === "ratio"
          ? { ...s.sli, good: canonicalFilter(s.sli.good), total: canonicalFilter(s.sli.total) }
          : s.sli,
      window: s.window.type === "calendar" ? { ...s.window, timeZone: s.window.timeZone ?? "UTC" } : s.window,
      alerting: normalizeAlerting(s.alerting),
    }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

describe("OpenSLO export → import → export", () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    [a, b] = await Promise.all([startStack(), startStack()]);
    await seedCatalog((m, p, body) => call(a, m, p, body));
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("writes OpenSLO v1 documents for services, SLIs, SLOs, alert tiers and Slack targets", async () => {
    const yaml = await exportYaml(a);
    const kinds = [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    // 2 targets (payments' Slack channel; search has no channel: Burnrate's alert list) + 2 services + 4 SLIs
    // + 4 SLOs + tiers: 4 + 3 + 2 + 4 policies
    expect(kinds.filter((k) => k === "AlertNotificationTarget")).toHaveLength(2);
    expect(kinds.filter((k) => k === "Service")).toHaveLength(2);
    expect(kinds.filter((k) => k === "SLI")).toHaveLength(4);
    expect(kinds.filter((k) => k === "SLO")).toHaveLength(4);
    expect(kinds.filter((k) => k === "AlertPolicy")).toHaveLength(13);
    expect(yaml.split("\n---\n")).toHaveLength(25);
    expect(yaml).toContain("apiVersion: openslo/v1\n");
    expect(yaml).toContain("type: burnrate.requests");
    expect(yaml).toContain("filter: status < 500 and durationMs <= 800"); // canonical form
    expect(yaml).toContain("filter: not (status = 429 or status >= 500 and status <= 599)"); // availability
    expect(yaml).toContain("burnrate.io/sli: availability");
    expect(yaml).toContain("burnrate.io/short-window: 5m");
    expect(yaml).toContain("burnrate.io/short-window: none");
    expect(yaml).toMatch(/lookbackWindow: 1h\n\s+alertAfter: 0m/);
    expect(yaml).toContain("threshold: 13.44"); // fast page at 28 d
    expect(yaml).toMatch(
      /duration: 1M\n\s+isRolling: false\n\s+calendar:\n\s+startTime: "?2024-01-01 00:00:00"?\n\s+timeZone: Europe\/Berlin/,
    );
    expect(yaml).toMatch(/op: lte\n\s+value: 300/);
    expect(yaml).toContain("budgetingMethod: Timeslices");
    expect(yaml).toContain("- targetRef: payments-slack");
    expect(yaml).toContain("- targetRef: search-burnrate");
    expect(yaml).toContain("target: burnrate");
    expect(yaml).not.toContain("notificationTargets: []");
    expect(yaml).toContain("team: payments");
    // one service only
    const one = await exportYaml(a, "?service=finder");
    expect(one).toContain("name: finder");
    expect(one).not.toContain("name: checkout\n");
    const missing = await a.app.inject({
      method: "GET",
      url: "/api/v1/openslo/export?service=nope",
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(missing.statusCode).toBe(404);
  });

  it("is byte-stable through a fresh instance and idempotent on the source", async () => {
    const yaml1 = await exportYaml(a);
    expect(await exportYaml(a)).toBe(yaml1);

    const again = await importYaml(a, yaml1);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.changed).toBe(false);
    expect(again.body.message).toMatch(/^nothing to change/);
    expect(again.body.summary).toEqual({ created: 0, updated: 0, unchanged: 8 }); // 2 teams, 2 services, 4 SLOs

    const dry = await importYaml(b, yaml1, "?dryRun=true");
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      changed: true,
      summary: { created: 8, updated: 0, unchanged: 0 },
    });
    expect((await call(b, "GET", "/api/v1/slos")).body).toEqual([]);

    const first = await importYaml(b, yaml1);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.summary).toEqual({ created: 8, updated: 0, unchanged: 0 });
    const yaml2 = await exportYaml(b);
    expect(yaml2).toBe(yaml1);
    expect(await sloShapes(b)).toEqual(await sloShapes(a));
    expect((await call(b, "GET", "/api/v1/teams/payments")).body?.slackChannel ?? null).toBe(
      "#team-payments-slo-breaches",
    );
    const svc = (await call(b, "GET", "/api/v1/services/checkout")).body!;
    expect(svc).toMatchObject({
      team: "payments",
      failureStatuses: ["429", "500-599"],
      runbookUrl: "https://runbooks.example.com/checkout",
    });

    const second = await importYaml(b, yaml1);
    expect(second.body).toMatchObject({ changed: false, summary: { created: 0, updated: 0, unchanged: 8 } });
  });

  it("reports and applies an edit field by field, with a version and the reason", async () => {
    const yaml = await exportYaml(b);
    const edited = yaml
      .replace("target: 0.999\n", "target: 0.995\n")
      .replace("filter: status < 500 and durationMs <= 800", "filter: status < 500 and durationMs <= 1000");
    const dry = await importYaml(b, edited, "?dryRun=true");
    const changed = dry.body.changes.filter((c: any) => c.action !== "unchanged");
    expect(changed).toEqual([
      {
        kind: "slo",
        name: "checkout/Cart availability",
        action: "update",
        document: expect.any(Number),
        fields: [{ field: "objectivePercent", before: 99.9, after: 99.5 }],
      },
      {
        kind: "slo",
        name: "checkout/Fast and fine",
        action: "update",
        document: expect.any(Number),
        fields: [
          {
            field: "sli.good",
            before: "status < 500 and durationMs <= 800",
            after: "status < 500 and durationMs <= 1000",
          },
        ],
      },
    ]);
    const res = await importYaml(b, edited, "?reason=tighten%20after%20review");
    expect(res.body.summary).toEqual({ created: 0, updated: 2, unchanged: 6 });
    const slos = (await call(b, "GET", "/api/v1/slos?service=checkout")).body as unknown as any[];
    const cart = slos.find((s) => s.name === "Cart availability");
    expect(cart.objectivePercent).toBe(99.5);
    const versions = (await call(b, "GET", `/api/v1/slos/${cart.id}/versions`)).body as unknown as any[];
    expect(versions.at(-1)).toMatchObject({
      reason: "tighten after review",
      changes: [{ field: "objectivePercent" }],
    });
    expect(await exportYaml(b)).toBe(edited);
    expect((await importYaml(b, edited)).body.changed).toBe(false);
  });
});

describe("OpenSLO import of the Workbook-style example and broken documents", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => s?.stop());

  it("names the document and field of each error, and writes nothing", async () => {
    const cases: [string, string, RegExp][] = [
      [
        WORKBOOK_EXAMPLE.replace("target: 0.999", "target: 1.5"),
        "document 7 (SLO checkout-availability-30d): field spec.objectives[0].target",
        /must be above 0 and below 1/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("AND status < 500'", "AND status < '"),
        "document 3 (SLI checkout-availability): field spec.ratioMetric.good.metricSource.spec.filter",
        /expected a value .* at position 39/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("indicatorRef: checkout-availability", "indicatorRef: nope"),
        "document 7 (SLO checkout-availability-30d): field spec.indicatorRef",
        /no SLI named "nope"/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("lookbackWindow: 1h", "lookbackWindow: 1 hour"),
        "document 5 (AlertCondition page-fast-burn-1h): field spec.condition.lookbackWindow",
        /must be a duration/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("budgetingMethod: Occurrences", "budgetingMethod: RatioTimeslices"),
        "document 7 (SLO checkout-availability-30d): field spec.budgetingMethod",
        /RatioTimeslices is not supported/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("kind: SLI", "kind: Sli"),
        "document 3 (Sli checkout-availability): field kind",
        /must be one of/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("type: sreplatform.logs", "type: Prometheus"),
        "document 3 (SLI checkout-availability): field spec.ratioMetric.good.metricSource.spec.filter",
        /a Prometheus metric source reads query and url/,
      ],
      [
        WORKBOOK_EXAMPLE.replace("type: sreplatform.logs", "type: Datadog"),
        "document 3 (SLI checkout-availability): field spec.ratioMetric.good.metricSource.type",
        /must be 'burnrate.requests' \(Burnrate's request logs\), or Prometheus/,
      ],
      ["apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x\n", "document 1 (? ?): field (yaml)", /line/],
    ];
    for (const [yaml, where, msg] of cases) {
      const res = await importYaml(s, yaml);
      expect(res.status, where).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
      expect(res.body.error.message).toContain(where);
      expect(res.body.error.message).toMatch(msg);
      expect(res.body.error.details.errors[0]).toMatchObject({
        document: expect.any(Number),
        field: expect.any(String),
      });
    }
    expect((await call(s, "GET", "/api/v1/services/checkout-api")).status).toBe(404);
    expect((await call(s, "GET", "/api/v1/slos")).body).toEqual([]);
    const empty = await importYaml(s, "\n");
    expect(empty.status).toBe(400);
    expect(s.statuses.filter((x) => x >= 500)).toEqual([]);
  });

  it("creates the expected team, service and SLO, once", async () => {
    const res = await importYaml(s, WORKBOOK_EXAMPLE);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(res.body.changes.map((c: any) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      "create team payments",
      "create service checkout-api",
      "create slo checkout-api/Checkout availability (30d rolling)",
    ]);
    expect(res.body.warnings.join("\n")).toMatch(/labels.region: ignored/);

    expect((await call(s, "GET", "/api/v1/teams/payments")).body).toMatchObject({
      slug: "payments",
      slackChannel: "#payments-oncall",
    });
    expect((await call(s, "GET", "/api/v1/services/checkout-api")).body).toMatchObject({
      slug: "checkout-api",
      name: "Checkout API",
      team: "payments",
      description: "Public checkout HTTP API",
      failureStatuses: ["500-599"],
    });
    const slos = (await call(s, "GET", "/api/v1/slos")).body as unknown as any[];
    expect(slos).toHaveLength(1);
    expect(slos[0]).toMatchObject({
      service: "checkout-api",
      name: "Checkout availability (30d rolling)",
      description: "99.9% of checkout requests succeed over a rolling 30 days",
      endpoint: null,
      sli: { type: "ratio", good: "status < 500", total: "true" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 30 },
      budgetingMethod: "occurrences",
      alerting: {
        tiers: [
          {
            name: "checkout-page-fast-burn",
            severity: "page",
            longWindowMinutes: 60,
            shortWindowMinutes: 5,
            budgetPercent: 2,
            enabled: true,
          },
        ],
      },
    });
    const again = await importYaml(s, WORKBOOK_EXAMPLE);
    expect(again.body).toMatchObject({ changed: false, summary: { created: 0, updated: 0, unchanged: 3 } });

    // Our export of it round-trips too: the tier keeps its 5 m short window and 14.4 threshold.
    const yaml = await exportYaml(s);
    expect(yaml).toMatch(/burnrate.io\/short-window: 5m\n\s+burnrate.io\/budget-percent: "2"/);
    expect(yaml).toContain("threshold: 14.4");
    expect((await importYaml(s, yaml)).body.changed).toBe(false);
  });

  it("reads openslo/v1alpha (Sloth style) and refuses a write without permission", async () => {
    const v1alpha = `apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: cart-errors
  displayName: Cart errors (v1alpha)
spec:
  service: checkout-api
  budgetingMethod: Occurrences
  timeWindows:
    - count: 4
      unit: Week
      isRolling: true
  objectives:
    - displayName: good
      target: 0.99
      ratioMetrics:
        counter: false
        good:
          source: burnrate.requests
          queryType: filter
          query: 'service = "checkout-api" and status not in (500, 503)'
        total:
          source: burnrate.requests
          queryType: filter
          query: 'service = "checkout-api"'
`;
    const res = await importYaml(s, v1alpha);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary.created).toBe(1);
    const slo = ((await call(s, "GET", "/api/v1/slos")).body as unknown as any[]).find(
      (x) => x.name === "Cart errors (v1alpha)",
    );
    expect(slo).toMatchObject({
      sli: { type: "ratio", good: "status not in (500, 503)", total: "true" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
      alerting: {}, // no policies: the default tiers, with a warning
    });
    expect(res.body.warnings).toEqual([
      "document 1 (SLO cart-errors): field spec.objectives[0].displayName: ignored: a Burnrate SLO has one objective, named by the SLO ('Cart errors (v1alpha)')",
      expect.stringMatching(
        /^document 1 \(SLO cart-errors\): field spec.alertPolicies: none given: the SLO alerts with Burnrate's default tiers/,
      ),
    ]);

    const anon = await s.app.inject({
      method: "POST",
      url: "/api/v1/openslo/import",
      headers: { "content-type": "application/yaml" },
      payload: v1alpha,
    });
    expect(anon.statusCode).toBe(401);
    const json = await call(s, "POST", "/api/v1/openslo/import?dryRun=true", { yaml: v1alpha });
    expect(json.status).toBe(200);
    expect(json.body!.changed).toBe(false);
    const bad = await call(s, "POST", "/api/v1/openslo/import", { nope: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toMatch(/body/);
  });
});

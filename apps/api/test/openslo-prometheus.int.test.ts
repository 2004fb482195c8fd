import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";
import { goSdkViolations } from "./openslo-sdk-rules";

async function importYaml(s: Stack, yaml: string, query = "") {
  const res = await s.app.inject({
    method: "POST",
    url: `/api/v1/openslo/import${query}`,
    headers: { authorization: `Bearer ${s.token}`, "content-type": "application/yaml" },
    payload: yaml,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any> };
}

/** OpenSLO v1 as a team that runs Prometheus writes it: a DataSource, and an SLO whose SLI reads it. */
const PROM_OPENSLO = `apiVersion: openslo/v1
kind: DataSource
metadata:
  name: prom-main
spec:
  type: Prometheus
  connectionDetails:
    url: http://prometheus.internal:9090
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
spec:
  description: Checkout
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            metricSourceRef: prom-main
            spec:
              query: http_requests_total{job="checkout",code=~"5.."}
        total:
          metricSource:
            metricSourceRef: prom-main
            spec:
              query: http_requests_total{job="checkout"}
`;

describe("OpenSLO with Prometheus metric sources", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" })).status).toBe(
      201,
    );
    expect(
      (
        await call(stack, "POST", "/api/v1/services", {
          slug: "checkout",
          name: "Checkout",
          team: "payments",
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("imports a ratio metric of Prometheus queries as a Prometheus-sourced SLO (URL from the DataSource)", async () => {
    const dry = await importYaml(stack, PROM_OPENSLO, "?dryRun=true");
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const r = await importYaml(stack, PROM_OPENSLO);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const slo = await stack.db.slo.findFirstOrThrow({ where: { name: "checkout-availability" } });
    expect(slo.sli).toEqual({
      type: "prometheus",
      url: "http://prometheus.internal:9090",
      bad: 'http_requests_total{job="checkout",code=~"5.."}',
      total: 'http_requests_total{job="checkout"}',
    });
    expect([slo.objectivePercent, slo.budgetingMethod]).toEqual([99.9, "occurrences"]);
    const again = await importYaml(stack, PROM_OPENSLO);
    expect(again.body.changed).toBe(false);
  });

  it("exports a Prometheus-sourced SLO as Prometheus metric sources, within the Go SDK's rules; the export applies as a no-op", async () => {
    const created = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Checkout latency (Prometheus)",
      sli: {
        type: "prometheus",
        url: "http://prometheus.internal:9090",
        good: 'http_request_duration_seconds_bucket{job="checkout",le="0.3"}',
        total: 'http_request_duration_seconds_count{job="checkout"}',
      },
      objectivePercent: 99,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await stack.app.inject({
      method: "GET",
      url: "/api/v1/openslo/export?service=checkout",
      headers: { authorization: `Bearer ${stack.token}` },
    });
    expect(res.statusCode).toBe(200);
    const docs = parseAllDocuments(res.body).map((d) => (d as { toJS(): any }).toJS());
    expect(goSdkViolations(docs)).toEqual([]);
    const sli = docs.find((d) => d.kind === "SLI" && JSON.stringify(d).includes('le=\\"0.3\\"'));
    expect(sli?.spec.ratioMetric).toEqual({
      counter: true,
      good: {
        metricSource: {
          type: "Prometheus",
          spec: {
            query: 'http_request_duration_seconds_bucket{job="checkout",le="0.3"}',
            url: "http://prometheus.internal:9090",
          },
        },
      },
      total: {
        metricSource: {
          type: "Prometheus",
          spec: {
            query: 'http_request_duration_seconds_count{job="checkout"}',
            url: "http://prometheus.internal:9090",
          },
        },
      },
    });
    const applied = await importYaml(stack, res.body);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.changed).toBe(false);
    const slos = await stack.db.slo.findMany({
      where: { service: { slug: "checkout" } },
      orderBy: { name: "asc" },
    });
    expect(slos.map((s) => (s.sli as { type: string }).type)).toEqual(["prometheus", "prometheus"]);
  });

  it.each([
    [
      PROM_OPENSLO.replace("    url: http://prometheus.internal:9090\n", "    url: prometheus\n"),
      "spec.indicator.spec.ratioMetric.bad.metricSource.spec.url",
    ],
    [
      PROM_OPENSLO.replace(
        'query: http_requests_total{job="checkout",code=~"5.."}',
        "query: sum(rate(x[5m]))",
      ),
      "spec.indicator.spec.ratioMetric.bad.metricSource.spec.query",
    ],
    [
      PROM_OPENSLO.replace(
        '            metricSourceRef: prom-main\n            spec:\n              query: http_requests_total{job="checkout"}\n',
        "            type: burnrate.requests\n            spec:\n              filter: 'true'\n",
      ),
      "spec.indicator.spec.ratioMetric.total.metricSource.type",
    ],
  ])(
    "refuses a Prometheus metric source Burnrate cannot read, naming the field (%#)",
    async (yaml, field) => {
      expect(yaml).not.toBe(PROM_OPENSLO);
      const r = await importYaml(stack, yaml);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details.errors.map((e: { field: string }) => e.field)).toContain(field);
    },
  );
});

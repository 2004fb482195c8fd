import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

const FIX = path.join(import.meta.dirname, "fixtures");
const read = (f: string) => readFileSync(path.join(FIX, f), "utf8");
const PROM = "http://prometheus.internal:9090";
const q = (extra = "") => `?prometheusUrl=${encodeURIComponent(PROM)}&team=platform${extra}`;

describe("Sloth and Pyrra import (the upstream examples)", () => {
  let stack: Stack;
  const apply = (format: "sloth" | "pyrra", yaml: string, extra = "") =>
    call(stack, "POST", `/api/v1/import/${format}${q(extra)}`, { yaml });

  beforeAll(async () => {
    stack = await startStack();
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "platform", name: "Platform" })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Every upstream example kept in fixtures/: the SLOs it makes, or the field its refusal names. */
  const EXAMPLES: readonly (readonly ["sloth" | "pyrra", string, number | string])[] = [
    ["sloth", "sloth/getting-started.yml", 1],
    ["sloth", "sloth/home-wifi.yml", 2],
    ["sloth", "sloth/kubernetes-apiserver.yml", 2],
    ["sloth", "sloth/multifile.yml", 2],
    ["sloth", "sloth/no-alerts.yml", 1],
    ["sloth", "sloth/victoria-metrics.yml", 2],
    ["sloth", "sloth/contrib-slo-plugins.yml", 2],
    ["sloth", "sloth/slo-plugin-getting-started.yml", 1],
    ["sloth", "sloth/k8s-getting-started.yml", 1],
    ["sloth", "sloth/k8s-home-wifi.yml", 2],
    ["sloth", "sloth/k8s-multifile.yml", 2],
    ["sloth", "sloth/slo-plugin-k8s-getting-started.yml", 1],
    ["sloth", "sloth/contrib-denominator-corrected.yaml", 1],
    ["sloth", "sloth/openslo-getting-started.yml", 1],
    ["sloth", "sloth/openslo-kubernetes-apiserver.yml", 3],
    ["sloth", "sloth/raw-home-wifi.yml", "slos[0].sli.raw"],
    ["sloth", "sloth/plugin-getting-started.yml", "slos[0].sli.plugin"],
    ["sloth", "sloth/plugin-k8s-getting-started.yml", "spec.slos[0].sli.plugin"],
    ["pyrra", "pyrra/apiserver-request-errors.yaml", 2],
    ["pyrra", "pyrra/apiserver-request-latency.yaml", 1],
    ["pyrra", "pyrra/coredns-request-latency.yaml", 1],
    ["pyrra", "pyrra/coredns-response-errors.yaml", 1],
    ["pyrra", "pyrra/prometheus-http-errors.yaml", 1],
    ["pyrra", "pyrra/caddy-response-latency.yaml", 1],
    ["pyrra", "pyrra/nginx.yaml", 2],
    ["pyrra", "pyrra/parca-grpc-queryrange-errors.yaml", 1],
    ["pyrra", "pyrra/prometheus-operator.yaml", 1],
    ["pyrra", "pyrra/pyrra-filesystem-errors.yaml", 1],
    ["pyrra", "pyrra/pyrra-kubernetes-errors.yaml", 1],
    ["pyrra", "pyrra/thanos-grpc.yaml", 1],
    ["pyrra", "pyrra/thanos-http.yaml", 1],
    ["pyrra", "pyrra/prometheus-http.yaml", "spec.indicator.ratio.grouping"],
    ["pyrra", "pyrra/pyrra-connect-errors.yaml", "spec.indicator.ratio.grouping"],
    ["pyrra", "pyrra/prometheus-probe-success.yaml", "spec.indicator.bool_gauge"],
    ["pyrra", "pyrra/pyrra-connect-latency.yaml", "spec.indicator.latencyNative"],
  ];

  it("the table covers every upstream example kept in fixtures/", () => {
    const kept = ["sloth", "pyrra"].flatMap((d) => readdirSync(path.join(FIX, d)).map((f) => `${d}/${f}`));
    expect(EXAMPLES.map((e) => e[1]).sort()).toEqual(kept.sort());
  });

  it.each(EXAMPLES.flatMap(([f, file, n]) => (typeof n === "number" ? [[f, file, n] as const] : [])))(
    "%s %s imports (%d SLOs); a dry run first writes nothing; a second apply changes nothing",
    async (format, file, n) => {
      const before = await stack.db.slo.count();
      const dry = await apply(format, read(file), "&dryRun=true");
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      expect(dry.body!.summary).toEqual({ created: n, updated: 0, unchanged: 0 });
      expect(await stack.db.slo.count()).toBe(before);
      const first = await apply(format, read(file));
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body!.summary).toEqual({ created: n, updated: 0, unchanged: 0 });
      expect(await stack.db.slo.count()).toBe(before + n);
      const second = await apply(format, read(file));
      expect(second.body!.summary).toEqual({ created: 0, updated: 0, unchanged: n });
      expect(second.body!.changed).toBe(false);
      expect(await stack.db.slo.count()).toBe(before + n);
      // Several examples describe the same SLO (Sloth's getting-started in each of its forms): each file starts
      // from none of its SLOs.
      for (const c of first.body!.changes as { service: string; name: string }[]) {
        const slo = await stack.db.slo.findFirstOrThrow({
          where: { name: c.name, service: { slug: c.service } },
        });
        expect((await call(stack, "DELETE", `/api/v1/slos/${slo.id}`)).status).toBe(204);
      }
    },
  );

  it.each(EXAMPLES.filter((e) => typeof e[2] === "string"))(
    "%s %s is refused with a 400 naming %s, nothing written",
    async (format, file, field) => {
      const before = await stack.db.slo.count();
      const r = await apply(format, read(file));
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body!.error.details.field).toBe(field);
      expect(await stack.db.slo.count()).toBe(before);
    },
  );

  it("maps the fields: Sloth's error query and objective, Pyrra's window, target and latency buckets", async () => {
    for (const [format, file] of [
      ["sloth", "sloth/getting-started.yml"],
      ["sloth", "sloth/openslo-kubernetes-apiserver.yml"],
      ["pyrra", "pyrra/apiserver-request-errors.yaml"],
      ["pyrra", "pyrra/coredns-request-latency.yaml"],
    ] as const)
      expect((await apply(format, read(file))).status).toBe(200);
    const sloth = await stack.db.slo.findFirstOrThrow({
      where: { name: "requests-availability" },
      include: { service: true },
    });
    expect(sloth.service.slug).toBe("myservice");
    expect(sloth.objectivePercent).toBe(99.9);
    expect(sloth.window).toEqual({ type: "rolling", days: 30 });
    expect(sloth.sli).toEqual({
      type: "prometheus",
      url: PROM,
      bad: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
      total: 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
    });
    const write = await stack.db.slo.findFirstOrThrow({
      where: { name: "apiserver-write-response-errors" },
      include: { service: true },
    });
    expect(write.service.slug).toBe("monitoring");
    expect([write.objectivePercent, write.window]).toEqual([99, { type: "rolling", days: 7 }]);
    const lat = await stack.db.slo.findFirstOrThrow({ where: { name: "coredns-request-latency" } });
    expect(lat.sli).toMatchObject({
      good: 'coredns_dns_request_duration_seconds_bucket{job="coredns",le="0.032"}',
    });
    // Sloth's OpenSLO input, as Sloth reads it: an SLO per objective, named <name>-<index>, good / total queries,
    // the target as a ratio, the time window in days, and no alerts (Sloth generates none for it).
    const openslo = await stack.db.slo.findFirstOrThrow({
      where: { name: "requests-latency-openslo-1" },
      include: { service: true },
    });
    expect(openslo.service.slug).toBe("k8s-apiserver");
    expect([openslo.objectivePercent, openslo.window]).toEqual([99.9, { type: "rolling", days: 30 }]);
    expect(openslo.sli).toEqual({
      type: "prometheus",
      url: PROM,
      good: 'sum(rate(apiserver_request_duration_seconds_bucket{le="5",verb!="WATCH"}[{{.window}}]))',
      total: 'sum(rate(apiserver_request_duration_seconds_count{verb!="WATCH"}[{{.window}}]))',
    });
    expect(openslo.alerting).toMatchObject({
      disabledTiers: ["fast-page", "slow-page", "fast-ticket", "slow-ticket"],
    });
    expect(
      (await stack.db.slo.findFirstOrThrow({ where: { name: "requests-latency-openslo-0" } }))
        .objectivePercent,
    ).toBe(99);
  });

  it("Sloth's Kubernetes resource reads its camelCase fields: errorQuery, and pageAlert.disable", async () => {
    const yaml = read("sloth/k8s-getting-started.yml").replace(
      "        pageAlert:\n",
      "        pageAlert:\n          disable: true\n",
    );
    expect(yaml).toContain("disable: true");
    const r = await apply("sloth", yaml);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const slo = await stack.db.slo.findFirstOrThrow({
      where: { name: "requests-availability", service: { slug: "myservice" } },
    });
    expect(slo.sli).toMatchObject({
      bad: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
    });
    expect(slo.alerting).toMatchObject({ disabledTiers: ["fast-page", "slow-page"] });
  });

  it("Pyrra's alerting.disabled (no burn-rate alerts there) turns every tier off; turning it back on is one update", async () => {
    const yaml = read("pyrra/caddy-response-latency.yaml");
    const off = `${yaml}  alerting:\n    disabled: true\n`;
    const r = await apply("pyrra", off);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const slo = await stack.db.slo.findFirstOrThrow({ where: { name: "caddy-response-latency" } });
    expect(slo.alerting).toMatchObject({
      disabledTiers: ["fast-page", "slow-page", "fast-ticket", "slow-ticket"],
    });
    expect((await apply("pyrra", off)).body!.summary).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const on = await apply("pyrra", yaml);
    expect(on.body!.summary).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(
      (await stack.db.slo.findFirstOrThrow({ where: { name: "caddy-response-latency" } })).alerting,
    ).not.toMatchObject({ disabledTiers: expect.anything() });
  });

  it("a changed objective is one update, applied once", async () => {
    expect((await apply("pyrra", read("pyrra/prometheus-http-errors.yaml"))).status).toBe(200);
    const yaml = read("pyrra/prometheus-http-errors.yaml").replace('target: "99.99"', 'target: "99.95"');
    const r = await apply("pyrra", yaml);
    expect(r.body!.summary).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(r.body!.changes[0]).toMatchObject({ action: "update", fields: ["objectivePercent"] });
    expect((await apply("pyrra", yaml)).body!.summary).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it.each(
    (
      [
        ["sloth", read("sloth/raw-home-wifi.yml"), "slos[0].sli.raw"],
        ["sloth", "version: prometheus/v2\nservice: x\nslos: []\n", "version"],
        [
          "pyrra",
          'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: up\n  namespace: monitoring\nspec:\n  target: "99"\n  window: 2w\n  indicator:\n    bool_gauge:\n      metric: probe_success{job="blackbox"}\n',
          "spec.indicator.bool_gauge",
        ],
        [
          "pyrra",
          read("pyrra/prometheus-http-errors.yaml").replace(
            "      total:",
            '      grouping: ["handler"]\n      total:',
          ),
          "spec.indicator.ratio.grouping",
        ],
        [
          "pyrra",
          read("pyrra/prometheus-http-errors.yaml").replace("window: 2w", "window: 2h"),
          "spec.window",
        ],
        [
          "pyrra",
          "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: x}\nspec: {target: '99', window: 2w, indicator: {ratio: {errors: {metric: 'sum(rate(x[5m]))'}, total: {metric: x}}}}\n",
          "spec.indicator.ratio.errors.metric",
        ],
        [
          "sloth",
          read("sloth/openslo-getting-started.yml").replace("unit: Day", "unit: Month"),
          "spec.timeWindows[0].unit",
        ],
        [
          "sloth",
          read("sloth/openslo-getting-started.yml").replace("source: prometheus", "source: datadog"),
          "spec.objectives[0].ratioMetrics.good.source",
        ],
        ["sloth", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec: {}\n", "apiVersion"],
        [
          "sloth",
          "version: prometheus/v1\nservice: x\nslos: [{name: a, objective: 99, sli: {events: {error_query: e}}}]\n: : :",
          "(yaml)",
        ],
      ] as const
    ).map(([format, yaml, field]) => [format, field, yaml] as const),
  )("%s: refused with a 400 naming %s, nothing written", async (format, field, yaml) => {
    const before = await stack.db.slo.count();
    const r = await apply(format, yaml);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(JSON.stringify(r.body)).toContain(field);
    expect(await stack.db.slo.count()).toBe(before);
  });

  it("a service Burnrate does not know needs a team", async () => {
    const r = await call(stack, "POST", `/api/v1/import/pyrra?prometheusUrl=${encodeURIComponent(PROM)}`, {
      yaml: read("pyrra/coredns-request-latency.yaml").replace("namespace: monitoring", "namespace: dns"),
    });
    expect(r.status).toBe(400);
    expect(r.body!.error.message).toMatch(/^team: /);
  });
});

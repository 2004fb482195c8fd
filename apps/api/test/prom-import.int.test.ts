import { readFileSync } from "node:fs";
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

  it.each([
    ["sloth", "sloth/getting-started.yml", 1],
    ["sloth", "sloth/home-wifi.yml", 2],
    ["pyrra", "pyrra/apiserver-request-errors.yaml", 2],
    ["pyrra", "pyrra/apiserver-request-latency.yaml", 1],
    ["pyrra", "pyrra/coredns-request-latency.yaml", 1],
    ["pyrra", "pyrra/coredns-response-errors.yaml", 1],
    ["pyrra", "pyrra/prometheus-http-errors.yaml", 1],
  ] as const)(
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
    },
  );

  it("maps the fields: Sloth's error query and objective, Pyrra's window, target and latency buckets", async () => {
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
  });

  it("a changed objective is one update, applied once", async () => {
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
          "bad",
        ],
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

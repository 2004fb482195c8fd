import { readFileSync } from "node:fs";
import path from "node:path";
import { createEvaluateShardJob } from "../../worker/src/jobs/evaluate";
import pino from "pino";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";
import { promtool, startPrometheus, type PrometheusServer } from "./prometheus";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const MINUTE = 60_000;
/** The evaluation instant: mid-minute, so the current minute's data counts. */
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE - 30_000;
const REGIONS = ["prod-eu", "prod-us", "prod-jp"] as const;
const ODD_NAME = 'Checkout "fast" \\ path\nsecond line';

/**
 * Two hours of traffic per service × region, each with its own error rate (one region burns hard enough to
 * page), one request every 20 s per endpoint, the last at NOW.
 */
function traffic(service: string, badEvery: Record<string, number>) {
  const out: object[] = [];
  let n = 0;
  for (const region of REGIONS)
    for (let t = NOW - 2 * 60 * MINUTE; t <= NOW; t += 20_000)
      for (const route of ["/cart", "/pay"]) {
        n++;
        out.push({
          ts: t,
          service,
          method: "GET",
          route,
          region,
          status: n % badEvery[region]! === 0 ? 503 : 200,
          durationMs: 50 + (n % 900),
        });
      }
  return out;
}

describe("GET /metrics/slos scraped by a real Prometheus", () => {
  let stack: Stack;
  let prom: PrometheusServer;
  const sloIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    for (const [team, service] of [
      ["payments", "cart"],
      ["discovery", "search"],
    ] as const) {
      expect((await call(stack, "POST", "/api/v1/teams", { slug: team, name: team })).status).toBe(201);
      expect(
        (await call(stack, "POST", "/api/v1/services", { slug: service, name: service, team })).status,
      ).toBe(201);
    }
    const slos = [
      { service: "cart", name: ODD_NAME, sli: { type: "availability" }, objectivePercent: 99.9 },
      {
        service: "cart",
        name: "Cart latency",
        sli: { type: "latency", thresholdMs: 800 },
        objectivePercent: 90,
        window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
      },
      {
        service: "search",
        name: "Search pay route",
        endpoint: "GET /pay",
        sli: { type: "availability" },
        objectivePercent: 99,
        budgetingMethod: "timeslices",
      },
      {
        service: "search",
        name: "Search ratio",
        sli: { type: "ratio", good: 'status < 500 and route != "/cart"', total: "true" },
        objectivePercent: 45,
        alerting: {
          tiers: [
            {
              name: "custom",
              severity: "ticket",
              longWindowMinutes: 90,
              shortWindowMinutes: 10,
              factor: 1.2,
            },
          ],
        },
      },
    ];
    for (const slo of slos) {
      const r = await call(stack, "POST", "/api/v1/slos", slo);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      sloIds.push(r.body!.id as string);
    }
    for (const [service, badEvery] of [
      ["cart", { "prod-eu": 2, "prod-us": 97, "prod-jp": 1000 }],
      ["search", { "prod-eu": 13, "prod-us": 5, "prod-jp": 41 }],
    ] as const) {
      const res = await stack.app.inject({
        method: "POST",
        url: "/api/v1/ingest/requests",
        headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
        payload: ndjson(traffic(service, badEvery)),
      });
      expect(JSON.parse(res.body).rejected, res.body).toBe(0);
    }
    const services = await stack.db.service.findMany();
    const job = createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: () => NOW,
      log: pino({ level: "silent" }),
    });
    const result = await job({
      shard: 0,
      shards: 1,
      minuteMs: Math.floor(NOW / MINUTE) * MINUTE,
      dirty: Object.fromEntries(services.map((s) => [s.id, NOW - 3 * 60 * MINUTE])),
    });
    expect(result.evaluated).toBe(slos.length);
    prom = await startPrometheus(new URL(stack.baseUrl).host, "/metrics/slos");
  });
  afterAll(async () => {
    await prom?.stop();
    await stack?.stop();
  });

  it("1 h burn rate of every SLO × region and all regions equals the status API's at the same cycle", async () => {
    // What the status API says for every SLO, in every region and across all of them, at the evaluated instant.
    const expected = new Map<string, number | null>();
    for (const id of sloIds)
      for (const region of ["all", ...REGIONS]) {
        const q = region === "all" ? "" : `region=${region}&`;
        const r = await call(stack, "GET", `/api/v1/slos/${id}/status?${q}at=${NOW}`);
        expect(r.status).toBe(200);
        expected.set(`${id}|${region}`, r.body!.burnRates["1h"] as number | null);
      }
    expect([...expected.values()].every((v) => v !== null)).toBe(true);
    const got = await waitFor(
      "Prometheus to scrape every SLO × region",
      async () => {
        const v = await prom.query('burnrate_slo_burn_rate{window="1h"}');
        return v.length === expected.size ? v : null;
      },
      30_000,
    );
    const diffs = got.map((s) => {
      const want = expected.get(`${s.metric.slo_id}|${s.metric.region}`);
      expect(want, `${s.metric.slo_id} ${s.metric.region}`).toBeTypeOf("number");
      return Math.abs(s.value - want!);
    });
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1e-9);
    // Written in the shortest form that reads back as the same float64: Prometheus holds the very number.
    expect(Math.max(...diffs)).toBe(0);
    expect(new Set(got.map((s) => `${s.metric.slo_id}|${s.metric.region}`))).toEqual(
      new Set(expected.keys()),
    );
    // The regions burn differently: the comparison is not between equal numbers.
    expect(new Set(got.map((s) => s.value)).size).toBeGreaterThan(8);
  });

  it("labels reach Prometheus as written, and the series carry the status numbers", async () => {
    const odd = await prom.query(`burnrate_slo_objective_ratio{slo_id="${sloIds[0]}",region="all"}`);
    expect(odd).toHaveLength(1);
    expect(odd[0]!.metric).toMatchObject({
      slo: ODD_NAME,
      service: "cart",
      team: "payments",
      region: "all",
      sli_type: "availability",
    });
    expect(odd[0]!.value).toBe(0.999);
    for (const [i, region] of [
      [2, "prod-us"],
      [3, "all"],
    ] as const) {
      const q = region === "all" ? "" : `region=${region}&`;
      const st = (await call(stack, "GET", `/api/v1/slos/${sloIds[i]}/status?${q}at=${NOW}`)).body!;
      const sel = `slo_id="${sloIds[i]}",region="${region}"`;
      const [remaining] = await prom.query(`burnrate_slo_error_budget_remaining_ratio{${sel}}`);
      expect(remaining!.value).toBe(st.errorBudget.remainingFraction);
      const [sliPeriod] = await prom.query(`burnrate_slo_sli_ratio{${sel},window="period"}`);
      expect(sliPeriod!.value).toBe(st.sli.ratio);
      const [good] = await prom.query(`burnrate_slo_period_events{${sel},class="good"}`);
      const [bad] = await prom.query(`burnrate_slo_period_events{${sel},class="bad"}`);
      expect([good!.value, bad!.value]).toEqual([st.sli.good, st.sli.total - st.sli.good]);
      for (const w of ["5m", "30m", "6h", "1d", "3d"]) {
        const [b] = await prom.query(`burnrate_slo_burn_rate{${sel},window="${w}"}`);
        expect(b!.value).toBe(st.burnRates[w]);
      }
    }
    // The tuned tier's windows are published too.
    const custom = await prom.query(`burnrate_slo_burn_rate{slo_id="${sloIds[3]}",window=~"10m|90m"}`);
    expect(custom).toHaveLength(2 * (REGIONS.length + 1));
  });

  it("alert_firing says which severities fire, as the tiers decided", async () => {
    const firing = await prom.query(`burnrate_slo_alert_firing == 1`);
    const st = (await call(stack, "GET", `/api/v1/slos/${sloIds[0]}/status?region=prod-eu&at=${NOW}`)).body!;
    expect(
      st.tiers.some((t: { firing: boolean; severity: string }) => t.firing && t.severity === "page"),
    ).toBe(true);
    expect(firing.map((s) => `${s.metric.slo_id}|${s.metric.region}|${s.metric.severity}`)).toContain(
      `${sloIds[0]}|prod-eu|page`,
    );
    const [quiet] = await prom.query(
      `burnrate_slo_alert_firing{slo_id="${sloIds[0]}",region="prod-jp",severity="page"}`,
    );
    expect(quiet!.value).toBe(0);
  });

  it("promtool check metrics finds nothing to say about the output", async () => {
    const res = await stack.app.inject({ method: "GET", url: "/metrics/slos" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const check = promtool(["check", "metrics"], res.body);
    expect(check).toEqual({ status: 0, output: "" });
  });

  it("every query of the Grafana dashboard runs against these series and finds data", async () => {
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, "deploy/grafana/burnrate-slos.json"), "utf8"));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) =>
      (p.targets ?? []).map((t) => t.expr),
    );
    expect(exprs.length).toBeGreaterThan(5);
    for (const expr of exprs) {
      const concrete = expr.replace(/\$(team|service|region)\b/g, ".+");
      // increase() needs two scrapes: wait for them rather than for a fixed time.
      const r = await waitFor(
        concrete,
        async () => {
          const v = await prom.query(concrete);
          return v.length > 0 ? v : null;
        },
        20_000,
      );
      expect(r.length, concrete).toBeGreaterThan(0);
    }
    for (const v of dashboard.templating.list.filter((x: { type: string }) => x.type === "query")) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition as string);
      expect(m, v.definition).not.toBeNull();
      const series = m![1]!.replace(/\$(team|service|region)\b/g, ".+");
      const r = await prom.query(series);
      expect(new Set(r.map((s) => s.metric[m![2]!])).size, v.definition).toBeGreaterThan(0);
    }
  });

  it("the example alerting rules pass promtool, and their expressions run", async () => {
    const file = path.join(ROOT, "deploy/prometheus/burnrate-rules.yml");
    const check = promtool(["check", "rules", file]);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    const rules = parseYaml(readFileSync(file, "utf8")) as { groups: { rules: { expr: string }[] }[] };
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr.trim()));
    expect(exprs.length).toBeGreaterThanOrEqual(3);
    for (const expr of exprs) await prom.query(expr); // throws on a PromQL error
    // The page rule finds the SLO × region that pages.
    const page = await prom.query(exprs[0]!);
    expect(page.map((s) => `${s.metric.slo_id}|${s.metric.region}`)).toContain(`${sloIds[0]}|prod-eu`);
  });

  it("a snapshot that cannot be written leaves the previous one and does not fail the evaluation", async () => {
    const before = await stack.db.sloMetricSnapshot.findMany({
      orderBy: [{ sloId: "asc" }, { regionKey: "asc" }],
    });
    expect(before).toHaveLength(sloIds.length * (REGIONS.length + 1));
    const job = createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: () => NOW + MINUTE,
      log: pino({ level: "silent" }),
    });
    // A real failure of the snapshot's statements: its table's column is gone for the length of the cycle.
    await stack.db.$executeRawUnsafe(
      `ALTER TABLE slo_metric_snapshots RENAME COLUMN windows TO windows_away`,
    );
    try {
      const r = await job({
        shard: 0,
        shards: 1,
        minuteMs: Math.floor(NOW / MINUTE) * MINUTE + MINUTE,
        dirty: {},
      });
      expect(r.evaluated).toBe(sloIds.length);
    } finally {
      await stack.db.$executeRawUnsafe(
        `ALTER TABLE slo_metric_snapshots RENAME COLUMN windows_away TO windows`,
      );
    }
    const after = await stack.db.sloMetricSnapshot.findMany({
      orderBy: [{ sloId: "asc" }, { regionKey: "asc" }],
    });
    expect(after).toEqual(before);
    expect(after.every((x) => x.evaluatedAt.getTime() === NOW)).toBe(true);
  });
});

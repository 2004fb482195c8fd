import { createServer, type Server } from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluateShardJob } from "../../worker/src/jobs/evaluate";
import { PROMETHEUS_NO_DATA_MINUTES } from "../../worker/src/jobs/evaluate/prometheus-sli";
import { minuteEnd, periodAt, windowLabel } from "@burnrate/slo-core";
import { call, startStack, waitFor, type Stack } from "./harness";
import { freePort, startPrometheus, type PrometheusServer } from "./prometheus";

const MINUTE = 60_000;
const BAD = 'http_requests_total{app="checkout",code="500"}';
const TOTAL = 'http_requests_total{app="checkout"}';

/**
 * A small exporter of counters the test's own Prometheus scrapes every second: each scrape sees more requests,
 * about one in 23 of them failing, at an uneven pace (so windows differ).
 */
async function startExporter(): Promise<{ target: string; close: () => Promise<void> }> {
  const t0 = Date.now();
  const server: Server = createServer((_req, res) => {
    const s = (Date.now() - t0) / 1000;
    const ok = Math.floor(40 * s + 3 * Math.sin(s));
    const bad = Math.floor(1.7 * s + (s % 7 < 2 ? 0.5 * s : 0));
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(
      [
        "# TYPE http_requests_total counter",
        `http_requests_total{app="checkout",code="200"} ${ok}`,
        `http_requests_total{app="checkout",code="500"} ${bad}`,
        `http_requests_total{app="other",code="500"} ${ok * 3}`,
        "",
      ].join("\n"),
    );
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("an SLO whose SLI comes from a real Prometheus", () => {
  let stack: Stack;
  let prom: PrometheusServer;
  let exporter: Awaited<ReturnType<typeof startExporter>>;
  let sloId: string;
  let now = Date.now();
  /** The worker's evaluation job; its no-data minutes are the worker's default (5) unless given. */
  const job = (noDataMinutes?: number) =>
    createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: () => now,
      log: pino({ level: "silent" }),
      prometheus: {
        timeoutMs: 2000,
        retries: 1,
        backoffMs: 50,
        ...(noDataMinutes !== undefined ? { noDataMinutes } : {}),
      },
    });
  const evaluate = (at: number) => {
    now = at;
    return job()({ shard: 0, shards: 1, minuteMs: Math.floor(at / MINUTE) * MINUTE, dirty: {} });
  };

  beforeAll(async () => {
    stack = await startStack({ now: () => now });
    exporter = await startExporter();
    prom = await startPrometheus(exporter.target, "/metrics");
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
    const r = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Checkout availability (Prometheus)",
      sli: { type: "prometheus", url: prom.url, bad: BAD, total: TOTAL },
      objectivePercent: 90,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    sloId = r.body!.id as string;
  }, 300_000);
  afterAll(async () => {
    await prom?.stop();
    await exporter?.close();
    await stack?.stop();
  });

  it("refuses a query that is neither a selector nor a {{.window}} expression, naming the field", async () => {
    const r = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "bad query",
      sli: { type: "prometheus", url: prom.url, bad: "sum(rate(x[5m]))", total: TOTAL },
      objectivePercent: 99,
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain("sli.bad");
    const both = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "both",
      sli: { type: "prometheus", url: prom.url, bad: BAD, good: BAD, total: TOTAL },
      objectivePercent: 99,
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain("good");
  });

  it("burn rates and counts equal PromQL's sum(increase(...)) over the same aligned windows", async () => {
    // The cycle's windows end at a minute boundary already behind us, with several samples before it.
    const boundary = await waitFor(
      "a minute boundary with several scrapes before it",
      async () => {
        const b = Math.floor(Date.now() / MINUTE) * MINUTE;
        if (Date.now() < b + 3000) return null;
        const [n] = await prom.query(`count_over_time(${BAD}[1m])`, b);
        return (n?.value ?? 0) >= 5 ? b : null;
      },
      200_000,
      1000,
    );
    const at = boundary - 1000; // a whole second, in the minute before
    const toMs = minuteEnd(at);
    expect(toMs).toBeLessThan(Date.now());
    const result = await evaluate(at);
    expect(result.evaluated).toBe(1);

    const snap = await stack.db.sloMetricSnapshot.findMany({ where: { sloId } });
    expect(snap.map((s) => s.regionKey)).toEqual(["*"]);
    const windows = snap[0]!.windows as { window: string; sli: number | null; burnRate: number | null }[];
    const promRatio = async (w: string) => {
      const [b] = await prom.query(`sum(increase(${BAD}[${w}]))`, toMs);
      const [t] = await prom.query(`sum(increase(${TOTAL}[${w}]))`, toMs);
      return { bad: b!.value, total: t!.value };
    };
    const seconds = (label: string) => {
      const n = Number(label.slice(0, -1));
      return n * { m: 60, h: 3600, d: 86400 }[label.slice(-1) as "m" | "h" | "d"]!;
    };
    let compared = 0;
    for (const w of windows) {
      if (w.window === "period") continue;
      const { bad, total } = await promRatio(`${seconds(w.window)}s`);
      expect(total).toBeGreaterThan(0);
      const want = bad / total / 0.1; // objective 90%: errors burn at about half the budget's pace
      expect(w.burnRate, w.window).not.toBeNull();
      expect(Math.abs(w.burnRate! - want), `${w.window}: ${w.burnRate} vs ${want}`).toBeLessThanOrEqual(1e-9);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(6);
    // Errors do burn budget: the comparison is not between zeros.
    expect(windows.every((w) => (w.burnRate ?? 0) > 0)).toBe(true);
    expect(windows.map((w) => w.window)).toContain(windowLabel(5 * MINUTE));

    // The period's events are PromQL's increase over the period (rolling 28 d, ending at the cycle's end).
    const periodSeconds = (toMs - periodAt({ type: "rolling", days: 28 }, at).startMs) / 1000;
    const { bad, total } = await promRatio(`${periodSeconds}s`);
    expect(Math.abs(snap[0]!.bad - bad)).toBeLessThanOrEqual(1e-9 * total);
    expect(Math.abs(snap[0]!.good + snap[0]!.bad - total)).toBeLessThanOrEqual(1e-9 * total);
    const state = await stack.db.sloSourceState.findUniqueOrThrow({ where: { sloId } });
    expect(state.lastOkAt?.getTime()).toBe(at);
    expect(state.failures).toBe(0);

    // The status API shows what this evaluation computed: the same burn rates as the snapshot (and PromQL),
    // the period's counts, and where they come from.
    now = at + 20_000; // the API's clock has moved on; the numbers are still the evaluation's
    const st = await call(stack, "GET", `/api/v1/slos/${sloId}/status`);
    expect(st.status, JSON.stringify(st.body)).toBe(200);
    const body = st.body as {
      burnRates: Record<string, number | null>;
      sli: { good: number; total: number; ratio: number | null };
      errorBudget: { remainingFraction: number };
      dataUntil: string | null;
      tiers: { longWindow: string; longBurnRate: number | null; firing: boolean }[];
      source: { type: string; evaluatedAt: string; lastOkAt: string; failures: number; lastError: null };
    };
    const byWindow = new Map(windows.map((w) => [w.window, w.burnRate]));
    let shown = 0;
    for (const [w, rate] of Object.entries(body.burnRates)) {
      if (!byWindow.has(w)) continue;
      expect(rate, w).not.toBeNull();
      expect(Math.abs(rate! - byWindow.get(w)!), `${w}: ${rate} vs ${byWindow.get(w)}`).toBeLessThanOrEqual(
        1e-9,
      );
      shown++;
    }
    expect(shown).toBeGreaterThanOrEqual(3);
    expect(body.burnRates["1h"]).toBeGreaterThan(0);
    for (const t of body.tiers)
      expect(Math.abs(t.longBurnRate! - byWindow.get(t.longWindow)!), t.longWindow).toBeLessThanOrEqual(1e-9);
    expect(body.sli.total).toBe(snap[0]!.good + snap[0]!.bad);
    expect(body.sli.good).toBe(snap[0]!.good);
    expect(Math.abs(body.errorBudget.remainingFraction - snap[0]!.remaining)).toBeLessThanOrEqual(1e-9);
    expect(body.dataUntil).toBe(new Date(toMs).toISOString());
    expect(body.source).toMatchObject({
      type: "prometheus",
      evaluatedAt: new Date(at).toISOString(),
      lastOkAt: new Date(at).toISOString(),
      failures: 0,
      lastError: null,
    });
    now = at;
  }, 300_000);

  it("a stopped Prometheus gives a no-data alert within 5 minutes (the default no-data minutes), not a crash or a page", async () => {
    expect(PROMETHEUS_NO_DATA_MINUTES).toBe(5);
    // The last answer was at `last`, late in its minute (59 s in); Prometheus stops right after it. The next
    // cycles run 2 s into their minutes: counted in wall-clock time, 5 minutes after the last answer would be
    // the 6th cycle; counted in cycles, it is the 5th.
    const last = now;
    expect(last % MINUTE).toBe(59_000);
    await prom.stop();
    const cycle = (k: number) => Math.floor(last / MINUTE) * MINUTE + k * MINUTE + 2000;
    const noData = async () =>
      (await stack.db.alert.findMany({ where: { sloId, kind: "no_data" }, include: { events: true } })).map(
        (a) => ({ ...a, firedMs: a.firedAt.getTime() }),
      );
    // The next cycle: the query fails (recorded), nothing fires yet; nor in the 3 cycles after it.
    expect((await evaluate(cycle(1))).evaluated).toBe(1);
    const st = await stack.db.sloSourceState.findUniqueOrThrow({ where: { sloId } });
    expect(st.failures).toBe(1);
    expect(st.lastError).toMatch(/unreachable|did not answer/);
    expect(await noData()).toEqual([]);
    for (let k = 2; k <= 4; k++) {
      expect((await evaluate(cycle(k))).evaluated).toBe(1);
      expect(await noData(), `cycle ${k} after the last answer`).toEqual([]);
    }
    // The 5th cycle after the last answer: a no-data ticket, less than 5 minutes after the stop.
    expect((await evaluate(cycle(5))).evaluated).toBe(1);
    const alerts = await noData();
    expect(alerts.map((a) => [a.kind, a.state, a.severity])).toEqual([["no_data", "firing", "ticket"]]);
    expect(alerts[0]!.firedMs - last).toBeLessThanOrEqual(5 * MINUTE);
    // Nothing new pages: the failed pulls decided no burn-rate tier.
    const all = await stack.db.alert.findMany({ where: { sloId } });
    expect(all.filter((a) => a.kind !== "no_data" && a.firedAt.getTime() > last)).toEqual([]);
    expect(JSON.stringify(alerts[0]!.events[0]!.detail)).toMatch(/unreachable|did not answer/);
    // The last snapshot with numbers stays; its age tells it is old.
    const snap = await stack.db.sloMetricSnapshot.findFirstOrThrow({ where: { sloId } });
    expect(snap.evaluatedAt.getTime()).toBe(last);
    // So does the status: the last numbers, with the failures that kept newer ones from coming.
    const shown = await call(stack, "GET", `/api/v1/slos/${sloId}/status`);
    expect(shown.status).toBe(200);
    const body = shown.body as {
      burnRates: Record<string, number | null>;
      source: { evaluatedAt: string; failures: number; lastError: string };
    };
    const windows = snap.windows as { window: string; burnRate: number | null }[];
    expect(body.burnRates["1h"]).toBe(windows.find((w) => w.window === "1h")!.burnRate);
    expect(body.source.evaluatedAt).toBe(new Date(last).toISOString());
    expect(body.source.failures).toBe(5);
    expect(body.source.lastError).toMatch(/unreachable|did not answer/);
  }, 300_000);
});

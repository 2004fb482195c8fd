import { loadSliSeries, sqlRows } from "@burnrate/db";
import { createBackfillJob } from "@burnrate/worker/backfill";
import { createEvaluateShardJob } from "../../worker/src/jobs/evaluate";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";
import { startPrometheus, type PrometheusServer } from "./prometheus";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BAD = 'http_requests_total{app="checkout",code="500"}';
const TOTAL = 'http_requests_total{app="checkout"}';
const OK = 'http_requests_total{app="checkout",code="200"}';

/** Minute-aligned: history from 3 days and 17 minutes ago to 10 minutes ago, a sample every 15 s. */
const END = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
const START = END - 3 * DAY - 7 * MINUTE;

/**
 * The counters as OpenMetrics for promtool's backfill: the pace changes every hour (and errors come in bursts
 * some hours), so the minutes differ and a misaligned or misplaced minute shows.
 */
function history(): string {
  const ok: string[] = [];
  const bad: string[] = [];
  let o = 0;
  let b = 0;
  for (let t = START; t <= END; t += 15_000) {
    const hour = Math.floor(t / (60 * MINUTE));
    o += 10 + (hour % 7);
    b += hour % 5 === 0 ? 3 : hour % 3 === 0 ? 1 : 0;
    ok.push(`http_requests_total{app="checkout",code="200"} ${o} ${t / 1000}`);
    bad.push(`http_requests_total{app="checkout",code="500"} ${b} ${t / 1000}`);
  }
  return ["# TYPE http_requests counter", ...ok, ...bad, "# EOF", ""].join("\n");
}

describe("a Prometheus-sourced SLO's history, pulled on create", () => {
  let stack: Stack;
  let prom: PrometheusServer;
  const log = pino({ level: "silent" });
  const opts = { timeoutMs: 10_000, retries: 0, backoffMs: 10 };
  const backfill = (sloId: string, extra: { fetch?: typeof fetch } = {}) =>
    createBackfillJob({ db: stack.db, now: Date.now, log, prometheus: { ...opts, ...extra } })({ sloId });
  const create = async (name: string, extra: Record<string, unknown> = {}) => {
    const r = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name,
      sli: { type: "prometheus", url: prom.url, bad: BAD, total: TOTAL },
      objectivePercent: 99,
      ...extra,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body!.id as string;
  };
  /** Good and total events the SLI store holds for an SLO, and its minutes with events. */
  const stored = async (sloId: string) => {
    const s = await loadSliSeries(stack.db, sloId, null, START - 30 * DAY, Date.now() + MINUTE);
    let good = 0;
    let total = 0;
    let minutes = 0;
    let first = Infinity;
    for (let i = 0; i < s.total.length; i++) {
      good += s.good[i]!;
      total += s.total[i]!;
      if (s.total[i]! > 0) {
        minutes++;
        first = Math.min(first, s.startMs + i * MINUTE);
      }
    }
    return { good, total, minutes, first };
  };
  const promValue = async (expr: string, atMs: number) => {
    const [r] = await prom.query(expr, atMs);
    return r!.value;
  };
  let firstId = "";

  beforeAll(async () => {
    stack = await startStack();
    // Nothing to scrape: everything it holds is the backfilled history.
    prom = await startPrometheus("127.0.0.1:9", "/metrics", { openMetrics: history() });
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
  }, 300_000);
  afterAll(async () => {
    await prom?.stop();
    await stack?.stop();
  });

  it("after create, the stored counts equal PromQL's sum(increase(...)) over the same aligned span, minute by minute too", async () => {
    firstId = await create("history");
    const t0 = performance.now();
    const result = await backfill(firstId);
    const ms = Math.round(performance.now() - t0);
    // Bounded by the 28-day window: 28 UTC days and the part of a 29th, in day-long chunks; only what
    // Prometheus holds (3 days and 7 minutes of minutes) is stored.
    expect((result as { chunks: number }).chunks).toBeLessThanOrEqual(30);
    const got = await stored(firstId);
    expect(got.minutes).toBe((END - START) / MINUTE);
    expect(got.first).toBe(START);
    const span = `${(END - START) / 1000}s`;
    const total = await promValue(`sum(increase(${TOTAL}[${span}]))`, END);
    const bad = await promValue(`sum(increase(${BAD}[${span}]))`, END);
    expect(total).toBeGreaterThan(100_000);
    expect(bad).toBeGreaterThan(1000);
    expect(got.total).toBe(total);
    expect(got.total - got.good).toBe(bad);
    // A few minutes one by one: each is PromQL's increase over that minute.
    const s = await loadSliSeries(stack.db, firstId, null, START, END);
    for (const k of [0, 1, 61, 1439, 2000, 4326]) {
      const end = START + (k + 1) * MINUTE;
      expect(s.total[k], `minute ${k}`).toBe(await promValue(`sum(increase(${TOTAL}[60s]))`, end));
      expect(s.total[k]! - s.good[k]!, `minute ${k}`).toBe(
        await promValue(`sum(increase(${BAD}[60s]))`, end),
      );
    }
    const slo = await stack.db.slo.findUniqueOrThrow({ where: { id: firstId } });
    expect(slo.backfillPercent).toBe(100);
    // The SLO page's series has it: the budget and the SLI from 3 days back, on day one.
    const series = await call(
      stack,
      "GET",
      `/api/v1/slos/${firstId}/series?from=${START}&to=${END}&step=3600000`,
    );
    expect(series.status, JSON.stringify(series.body)).toBe(200);
    const points = (series.body as { points: { t: number; total: number; sli: number | null }[] }).points;
    expect(points.reduce((n, p) => n + p.total, 0)).toBe(total);
    expect(points.filter((p) => p.sli !== null).length).toBeGreaterThanOrEqual(72);
    console.info(`history of ${got.minutes} minutes pulled in ${ms} ms`);
  }, 300_000);

  it("is idempotent: running it again, or from scratch, leaves the same counts", async () => {
    const before = await stored(firstId);
    const rows = async () =>
      (
        await sqlRows<{ n: number }>(
          stack.db,
          `SELECT count(*)::int AS n FROM sli_hours WHERE slo_id = $1::uuid`,
          [firstId],
        )
      )[0]!.n;
    const hours = await rows();
    await backfill(firstId);
    expect(await stored(firstId)).toEqual(before);
    // Forget what was done (same version): every minute is pulled and set again, not added.
    await stack.db.sloSourceState.update({
      where: { sloId: firstId },
      data: { historyFrom: null, historyTo: null },
    });
    await backfill(firstId);
    expect(await stored(firstId)).toEqual(before);
    expect(await rows()).toBe(hours);
    // Each evaluation cycle brings it up to its minute (nothing new here: the history ended 10 minutes ago).
    const at = Date.now() + 2 * MINUTE;
    const evaluate = createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: () => at,
      log,
      prometheus: opts,
    });
    expect(
      (await evaluate({ shard: 0, shards: 1, minuteMs: Math.floor(at / MINUTE) * MINUTE, dirty: {} }))
        .evaluated,
    ).toBeGreaterThanOrEqual(1);
    const state = await stack.db.sloSourceState.findUniqueOrThrow({ where: { sloId: firstId } });
    expect(state.failures).toBe(0);
    expect(state.historyTo?.getTime()).toBe(Math.floor(at / MINUTE) * MINUTE);
    expect(await stored(firstId)).toEqual(before);
  }, 300_000);

  it("resumes where it stopped: a run that fails midway is finished by the next, with the same counts", async () => {
    const id = await create("resumed");
    let calls = 0;
    const failing: typeof fetch = async (input, init) => {
      if (++calls > 6) throw new Error("connection reset");
      return fetch(input, init);
    };
    await expect(backfill(id, { fetch: failing })).rejects.toThrow(/unreachable: connection reset/);
    const state = await stack.db.sloSourceState.findUniqueOrThrow({ where: { sloId: id } });
    expect(state.historyTo).not.toBeNull();
    const doneDays = (state.historyTo!.getTime() - state.historyFrom!.getTime()) / DAY;
    expect(doneDays).toBeGreaterThan(1);
    expect(doneDays).toBeLessThan(4);
    const partial = (await stack.db.slo.findUniqueOrThrow({ where: { id } })).backfillPercent;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(100);
    let resumed = 0;
    const counting: typeof fetch = async (input, init) => {
      resumed++;
      return fetch(input, init);
    };
    const result = (await backfill(id, { fetch: counting })) as { chunks: number };
    // Only the chunks not done (two range queries each), plus the minutes since.
    expect(resumed).toBe(2 * result.chunks);
    expect(result.chunks).toBeLessThanOrEqual(30 - 3 + 1);
    const a = await stored(id);
    const b = await stored(firstId);
    expect(a).toEqual(b);
  }, 300_000);

  it("a change of its queries replaces the history; the window bounds it", async () => {
    const r = await call(stack, "PATCH", `/api/v1/slos/${firstId}`, {
      reason: "count good requests instead",
      sli: { type: "prometheus", url: prom.url, good: OK, total: TOTAL },
    });
    expect(r.status).toBe(200);
    await backfill(firstId);
    const got = await stored(firstId);
    const span = `${(END - START) / 1000}s`;
    expect(got.total).toBe(await promValue(`sum(increase(${TOTAL}[${span}]))`, END));
    expect(got.good).toBe(await promValue(`sum(increase(${OK}[${span}]))`, END));
    // A one-day window: only its period is pulled, though Prometheus holds three days.
    const day = await create("one day", { window: { type: "rolling", days: 1 } });
    await backfill(day);
    const d = await stored(day);
    expect(d.first).toBeGreaterThanOrEqual(Math.floor((Date.now() - DAY) / MINUTE) * MINUTE - MINUTE);
    expect(d.minutes).toBeLessThanOrEqual(24 * 60);
    expect(d.minutes).toBeGreaterThan(23 * 60);
  }, 300_000);
});

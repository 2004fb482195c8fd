import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { LoopDelay, collectProcessMetrics } from "./process-metrics";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Blocks this thread for `ms`: the delay the histogram must see. */
function block(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const loops: LoopDelay[] = [];
afterEach(() => {
  for (const l of loops.splice(0)) l.stop();
});
const loopOf = (o: ConstructorParameters<typeof LoopDelay>[0]) => {
  const l = new LoopDelay(o);
  loops.push(l);
  return l;
};

describe("LoopDelay", () => {
  it("samples nothing until work begins, and stops by itself after the work", async () => {
    const loop = loopOf({ resolutionMs: 5, idleAfterMs: 100 });
    await sleep(60);
    expect(loop.isSampling).toBe(false);
    expect(loop.read().max).toBe(0);

    loop.touch();
    expect(loop.isSampling).toBe(true);
    await sleep(20);
    block(60);
    await sleep(20);
    const r = loop.read();
    expect(r.max).toBeGreaterThan(0.04);
    expect(r.max).toBeLessThan(1);
    expect(r.min).toBeLessThanOrEqual(r.p50);
    expect(r.p50).toBeLessThanOrEqual(r.p99);
    expect(r.p99).toBeLessThanOrEqual(r.max);
    // A read resets: the next one holds only later samples.
    await sleep(30);
    expect(loop.read().max).toBeLessThan(0.04);

    await sleep(250);
    expect(loop.isSampling).toBe(false);
  });

  it("keeps sampling while work is in flight, however long, and stops after it leaves", async () => {
    const loop = loopOf({ resolutionMs: 5, idleAfterMs: 50 });
    loop.enter();
    await sleep(200); // four times idleAfterMs with no touch: still in flight
    expect(loop.isSampling).toBe(true);
    loop.leave();
    await sleep(150);
    expect(loop.isSampling).toBe(false);
    // A leave without an enter (a double close) does not make a later enter end early.
    loop.leave();
    loop.enter();
    await sleep(150);
    expect(loop.isSampling).toBe(true);
    loop.leave();
  });
});

describe("collectProcessMetrics", () => {
  it("serves prom-client's event-loop delay names, filled from the loop while busy and 0 while idle", async () => {
    const registry = new Registry();
    const loop = collectProcessMetrics(registry, "x_", loopOf({ resolutionMs: 5, idleAfterMs: 100 }));
    const value = async (name: string) => {
      const text = await registry.metrics();
      const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
      return m ? Number(m[1]) : undefined;
    };
    const names = ["min", "max", "mean", "stddev", "p50", "p90", "p99"].map(
      (s) => `x_nodejs_eventloop_lag_${s}_seconds`,
    );
    for (const n of names) expect(registry.getSingleMetric(n), n).toBeDefined();
    expect(registry.getSingleMetric("x_nodejs_eventloop_lag_seconds")).toBeDefined();
    expect(registry.getSingleMetric("x_process_cpu_user_seconds_total")).toBeDefined();
    // One of each: prom-client's own gauges of these names are replaced, not doubled.
    const text = await registry.metrics();
    for (const n of names) expect(text.match(new RegExp(`^# TYPE ${n} `, "gm"))).toHaveLength(1);

    expect(await value("x_nodejs_eventloop_lag_max_seconds")).toBe(0);
    loop.touch();
    await sleep(20);
    block(50);
    await sleep(20);
    expect(await value("x_nodejs_eventloop_lag_max_seconds")).toBeGreaterThan(0.03);
  });
});

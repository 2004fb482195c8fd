import { describe, expect, it } from "vitest";
import { createWorkerMetrics, evaluationLagMs, slackDeliveryFailures } from "./metrics";

describe("worker metrics", () => {
  it.each([
    { now: 100_000, last: 40_000, started: 0, expected: 60_000 },
    { now: 100_000, last: null, started: 70_000, expected: 30_000 },
    { now: 100_000, last: 100_500, started: 0, expected: 0 },
  ])("lag at $now with the last cycle done at $last = $expected", ({ now, last, started, expected }) => {
    expect(evaluationLagMs({ now: () => now, lastCycleDoneMs: () => last, startedMs: started })).toBe(
      expected,
    );
  });

  it("exposes lag, duration, stall, queue depths, backfill backlog and Slack failures", async () => {
    const m = createWorkerMetrics({
      now: () => 200_000,
      startedMs: 0,
      lastCycleDoneMs: () => 150_000,
      lastCycleDurationMs: () => 2_500,
      stalled: () => false,
    });
    m.setQueueCounts("burnrate", { waiting: 3, active: 1 });
    m.setBackfillBacklog(12_000);
    slackDeliveryFailures.inc({ reason: "ratelimited" });
    const text = await m.registry.metrics();
    expect(text).toMatch(/^burnrate_evaluation_lag_seconds 50$/m);
    expect(text).toMatch(/^burnrate_evaluation_last_cycle_duration_seconds 2.5$/m);
    expect(text).toMatch(/^burnrate_evaluation_stalled 0$/m);
    expect(text).toMatch(/^burnrate_queue_jobs\{queue="burnrate",state="waiting"\} 3$/m);
    expect(text).toMatch(/^burnrate_queue_jobs\{queue="burnrate",state="delayed"\} 0$/m);
    expect(text).toMatch(/^burnrate_backfill_backlog 12000$/m);
    expect(text).toMatch(/^burnrate_slack_delivery_failures_total\{reason="ratelimited"\} 1$/m);
  });

  it("reads the queue depths when scraped, once per scrape for both gauges", async () => {
    let reads = 0;
    const m = createWorkerMetrics(
      {
        now: () => 0,
        startedMs: 0,
        lastCycleDoneMs: () => null,
        lastCycleDurationMs: () => null,
        stalled: () => false,
      },
      {
        sampleQueues: async () => {
          reads++;
          await new Promise((r) => setTimeout(r, 5));
          m.setQueueCounts("burnrate", { waiting: reads });
          m.setBackfillBacklog(10 * reads);
        },
      },
    );
    expect(reads).toBe(0);
    const first = await m.registry.metrics();
    expect(reads).toBe(1);
    expect(first).toMatch(/^burnrate_queue_jobs\{queue="burnrate",state="waiting"\} 1$/m);
    expect(first).toMatch(/^burnrate_backfill_backlog 10$/m);
    const second = await m.registry.metrics();
    expect(reads).toBe(2);
    expect(second).toMatch(/^burnrate_queue_jobs\{queue="burnrate",state="waiting"\} 2$/m);
  });
});

import { describe, expect, it } from "vitest";
import { IngestGate, IngestUnavailable, Semaphore, coalescePerKey } from "./runtime";

const gate = (over: Partial<ConstructorParameters<typeof IngestGate>[0]> = {}) =>
  new IngestGate({
    maxRequests: 2,
    maxBytes: 1000,
    maxMemoryBytes: 64 * 1024 ** 3,
    maxEventLoopLagMs: 0,
    ...over,
  });

describe("IngestGate", () => {
  it("admits up to the request cap, refuses at once beyond it, and admits again after a release", () => {
    const g = gate();
    const a = g.tryEnter(10);
    const b = g.tryEnter(10);
    expect(typeof a).toBe("function");
    expect(typeof b).toBe("function");
    expect(g.tryEnter(10)).toMatch(/at capacity \(2 ingest requests are in flight\)/);
    (a as () => void)();
    (a as () => void)(); // a second release changes nothing
    expect(g.requests).toBe(1);
    expect(typeof g.tryEnter(10)).toBe("function");
    expect(g.refused).toBe(1);
  });

  it("caps the body bytes in flight, but one body alone is always admitted", () => {
    const g = gate({ maxRequests: 10 });
    const big = g.tryEnter(5000);
    expect(typeof big).toBe("function");
    expect(g.tryEnter(1)).toMatch(/MiB of ingest bodies are in flight/);
    (big as () => void)();
    expect(g.bytes).toBe(0);
    const a = g.tryEnter(600);
    expect(typeof a).toBe("function");
    expect(g.tryEnter(600)).toMatch(/bodies are in flight/);
    expect(typeof g.tryEnter(300)).toBe("function");
  });

  it("measures the event loop only while batches are in flight, and refuses while it lags", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const g = gate({ maxRequests: 10, maxEventLoopLagMs: 50 });
    expect(g.lagClockRunning).toBe(false); // an idle API does not wake up to measure
    const first = g.tryEnter(1) as () => void;
    expect(g.lagClockRunning).toBe(true);
    await sleep(30);
    const until = performance.now() + 150;
    while (performance.now() < until); // the loop is held for 150 ms
    await sleep(40);
    expect(g.eventLoopLagMs).toBeGreaterThan(50);
    expect(g.tryEnter(1)).toMatch(/event loop is \d+ ms behind/);
    first();
    await sleep(800);
    expect(g.lagClockRunning).toBe(false);
    expect(g.eventLoopLagMs).toBe(0);
    expect(typeof g.tryEnter(1)).toBe("function");
    g.close();
  });

  it("refuses while live memory is above its cap", () => {
    const g = gate({ maxMemoryBytes: 1 });
    expect(g.tryEnter(1)).toMatch(/live memory/);
  });
});

describe("Semaphore", () => {
  it("runs at most `size` at once and hands slots over in order", async () => {
    const s = new Semaphore(2, 10_000);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        s.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          order.push(i);
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("a waiter gives up with a 503 (Retry-After) when no slot frees in time", async () => {
    const s = new Semaphore(1, 0);
    let release!: () => void;
    const holder = s.run(() => new Promise<void>((r) => (release = r)));
    const err = await s.run(async () => "never").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestUnavailable);
    expect((err as IngestUnavailable).status).toBe(503);
    expect((err as IngestUnavailable).retryAfterS).toBe(1);
    release();
    await holder;
    expect(await s.run(async () => "free again")).toBe("free again");
  });
});

describe("coalescePerKey", () => {
  it("runs a key at most once at a time, once more when asked meanwhile", async () => {
    const runs: string[] = [];
    let gate!: () => void;
    const first = new Promise<void>((r) => (gate = r));
    let n = 0;
    const sync = coalescePerKey(async (k) => {
      runs.push(k);
      if (n++ === 0) await first;
    });
    const a = sync(["s1"]);
    const b = sync(["s1"]);
    const c = sync(["s1"]);
    gate();
    await Promise.all([a, b, c]);
    expect(runs).toEqual(["s1", "s1"]);
  });
});

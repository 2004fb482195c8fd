import { singleFlight } from "@burnrate/worker/single-flight";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL } from "./harness";

/**
 * One run at a time of a gated job, across processes, on a real Redis: a second run while the first holds the
 * key does nothing; the hold outlives its own length while the run goes on (renewed) and ends with it however
 * it ends; a holder that died frees the job when its hold runs out.
 */
describe("single-flight runs of the gated jobs", () => {
  let a: Redis;
  let b: Redis;
  const key = () => `burnrate-test:${randomUUID()}:running:stakeholders.notify`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(() => {
    // Two connections, as two workers have.
    a = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    b = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(() => {
    a?.disconnect();
    b?.disconnect();
  });

  it("runs one of two overlapping runs; the next one after it ends runs", async () => {
    const k = key();
    const ran: string[] = [];
    let release!: () => void;
    const first = singleFlight(a, k, async () => {
      ran.push("first");
      await new Promise<void>((r) => (release = r));
      return 1;
    });
    await sleep(50);
    expect(await singleFlight(b, k, async () => ran.push("second"))).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: 1 });
    expect(await singleFlight(b, k, async () => (ran.push("third"), 3))).toEqual({ ran: true, value: 3 });
    expect(ran).toEqual(["first", "third"]);
    expect(await a.exists(k)).toBe(0);
  });

  it("keeps the hold past its length while the run goes on, and frees it when the run throws", async () => {
    const k = key();
    const long = singleFlight(
      a,
      k,
      async () => {
        await sleep(1_000); // five times the hold
        throw new Error("the job failed");
      },
      200,
    );
    for (let i = 0; i < 4; i++) {
      await sleep(200);
      expect(await singleFlight(b, k, async () => "overlap", 200)).toEqual({ ran: false });
    }
    await expect(long).rejects.toThrow("the job failed");
    expect(await singleFlight(b, k, async () => "after", 200)).toEqual({ ran: true, value: "after" });
  });

  it("a run whose worker died (its hold never released) frees the job when the hold runs out", async () => {
    const k = key();
    await a.set(k, "a worker that was killed", "PX", 300);
    expect(await singleFlight(b, k, async () => "blocked", 300)).toEqual({ ran: false });
    await sleep(400);
    expect(await singleFlight(b, k, async () => "taken up", 300)).toEqual({ ran: true, value: "taken up" });
  });

  it("a run whose hold was taken over meanwhile leaves the new holder's hold alone when it ends", async () => {
    const k = key();
    const run = singleFlight(
      a,
      k,
      async () => {
        // the hold lapsed (a stalled worker) and another run took it
        await b.set(k, "the run that took over", "PX", 5_000);
        await sleep(400); // renewals happen meanwhile; they are not this run's to make
        return "done";
      },
      300,
    );
    expect(await run).toEqual({ ran: true, value: "done" });
    expect(await a.get(k)).toBe("the run that took over");
    expect(await a.pttl(k)).toBeGreaterThan(4_000);
  });
});

import { createHash } from "node:crypto";
import { parseNdjson, type RequestBatch } from "@burnrate/ingest";
import { afterAll, describe, expect, it } from "vitest";
import { ParsePool } from "./parse-pool";

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);

/** A body of `n` lines over a few services, endpoints, regions and minutes, with bad lines among them. */
function body(n: number, seed: number, bad: Set<number> = new Set()): Buffer {
  let s = "";
  for (let i = 1; i <= n; i++) {
    if (bad.has(i)) {
      s +=
        i % 2
          ? `{"ts":${NOW},"service":"checkout"\n`
          : `{"ts":${NOW},"service":"x","method":"GET","route":"/a","region":"eu","status":99,"durationMs":1}\n`;
      continue;
    }
    const k = (i * 7919 + seed) % 997;
    const r = {
      ts: k % 5 === 0 ? new Date(NOW - (k % 40) * 60_000).toISOString() : NOW - (k % 40) * 60_000 - k,
      service: ["checkout", "search", "auth"][k % 3],
      method: ["GET", "POST"][k % 2],
      route: `/r${k % 11}`,
      region: ["prod-eu", "prod-us"][k % 2],
      status: k % 13 === 0 ? 503 : 200,
      durationMs: k * 3.7,
    };
    // Every 17th line in a form only the slow path reads (spaces), so both paths are in each body.
    s += (k % 17 === 0 ? JSON.stringify(r, null, 1).replace(/\n/g, "") : JSON.stringify(r)) + "\n";
  }
  return Buffer.from(s);
}

function columns(b: RequestBatch) {
  const n = b.n;
  return {
    n,
    line: Buffer.from(b.line.buffer, 0, n * 4).toString("hex"),
    service: Buffer.from(b.service.buffer, 0, n * 4).toString("hex"),
    endpoint: Buffer.from(b.endpoint.buffer, 0, n * 4).toString("hex"),
    region: Buffer.from(b.region.buffer, 0, n * 4).toString("hex"),
    minute: Buffer.from(b.minute.buffer, 0, n * 4).toString("hex"),
    status: Buffer.from(b.status.buffer, 0, n * 2).toString("hex"),
    bucket: Buffer.from(b.bucket.buffer, 0, n).toString("hex"),
    services: b.scanner.services,
    regions: b.scanner.regions,
    endpoints: b.scanner.endpoints,
    errors: b.errors,
    rejected: b.rejected,
  };
}

const pool = new ParsePool(2);
afterAll(() => pool.close());

async function ready(p: ParsePool) {
  p.start();
  for (let i = 0; i < 600 && !p.ready; i++) await new Promise((r) => setTimeout(r, 50));
  expect(p.ready).toBe(true);
}

describe("ParsePool: NDJSON parsed in worker threads", { timeout: 60_000 }, () => {
  it("gives the batch the main thread gives, byte for byte, and moves the body", async () => {
    await ready(pool);
    const bad = new Set([2, 500, 1001, 4999]);
    const b = body(5000, 1, bad);
    const expected = columns(parseNdjson(b, NOW));
    expect(expected.rejected).toBe(4);
    const p = pool.parse(b, NOW);
    expect(p).not.toBeNull();
    expect(b.length).toBe(0); // moved to the thread
    const got = columns(await p!);
    expect(got).toEqual(expected);
    // A bad line in the middle costs only that line.
    expect(got.n).toBe(5000 - 4);
    expect(got.errors.map((e) => e.line)).toEqual([2, 500, 1001, 4999]);
  });

  it("parses the same with the TypeScript sources through tsx (when the bundle cannot be built)", async () => {
    const tsxPool = new ParsePool(1, () => undefined, { bundled: false });
    try {
      await ready(tsxPool);
      const b = body(3000, 9, new Set([10, 2999]));
      const expected = columns(parseNdjson(b, NOW));
      const pieces = [b.subarray(0, 1234), b.subarray(1234)].map((x) =>
        Buffer.from(Uint8Array.prototype.slice.call(x)),
      );
      const [viaBody, viaPieces] = await Promise.all([
        tsxPool.parse(Buffer.from(b), NOW)!,
        tsxPool.parseHashed(pieces, NOW)!,
      ]);
      expect(columns(viaBody)).toEqual(expected);
      expect(columns(viaPieces.batch)).toEqual(expected);
      expect(viaPieces.bodyHash).toBe(createHash("sha256").update(b).digest("hex"));
    } finally {
      await tsxPool.close();
    }
  });

  it("keeps each batch its own when many are in flight at once", async () => {
    await ready(pool);
    const bodies = Array.from({ length: 12 }, (_, i) => body(300 + i * 97, i, new Set([i + 1])));
    const expected = bodies.map((b) => columns(parseNdjson(b, NOW)));
    const got = await Promise.all(bodies.map((b) => pool.parse(b, NOW)!));
    expect(got.map(columns)).toEqual(expected);
    expect(pool.heldBytes).toBe(0);
  });

  it("reads big bodies into buffers that come back from the threads for the next bodies", async () => {
    await ready(pool);
    const b = body(2000, 5, new Set([7]));
    const expected = columns(parseNdjson(b, NOW));
    expect(pool.takeBody(1000)).toBeNull(); // small: Node's own pool
    const into = pool.takeBody(b.length)!;
    expect(into.length).toBe(b.length);
    expect(into.buffer.byteLength).toBe(2 ** Math.ceil(Math.log2(b.length)));
    b.copy(into);
    const idle = pool.idleBodyBytes;
    expect(columns(await pool.parse(into, NOW)!)).toEqual(expected);
    expect(pool.idleBodyBytes).toBe(idle + 2 ** Math.ceil(Math.log2(b.length)));
    // The next body of that size is read into the same memory, and parses the same.
    const again = pool.takeBody(b.length)!;
    expect(pool.idleBodyBytes).toBe(idle);
    b.copy(again);
    expect(columns(await pool.parse(again, NOW)!)).toEqual(expected);
  });

  it("copies a body that is a slice of a larger buffer (and leaves that buffer alone)", async () => {
    await ready(pool);
    const whole = body(50, 3);
    const slice = whole.subarray(0, whole.lastIndexOf(10, 3000) + 1);
    const expected = columns(parseNdjson(slice, NOW));
    const got = columns(await pool.parse(slice, NOW)!);
    expect(got).toEqual(expected);
    expect(whole.length).toBeGreaterThan(0);
  });

  it("returns null until a thread is ready, and refuses with 503 what a dying thread held", async () => {
    const p = new ParsePool(1);
    expect(p.parse(body(10, 0), NOW)).toBeNull(); // starting: the caller parses itself
    await ready(p);
    const pending = p.parse(body(200_000, 0), NOW)!;
    // The thread is stopped while it parses: the batch fails with a 503 (nothing of it was stored).
    await (
      p as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }
    ).threads[0]!.worker.terminate();
    await expect(pending).rejects.toMatchObject({ status: 503 });
    expect(p.heldBytes).toBe(0);
    // The next batch starts a new thread.
    expect(p.parse(body(10, 0), NOW)).toBeNull();
    await ready(p);
    expect((await p.parse(body(10, 0), NOW)!).n).toBe(10);
    await p.close();
  });
});

import { createHash } from "node:crypto";
import { HISTORY_HORIZON_MS, ndjsonSource } from "@burnrate/ingest";
import { afterAll, describe, expect, it } from "vitest";
import { ParsePool } from "../ingest/parse-pool";
import { parseChunk } from "./parse-chunk";

const NOW = Date.UTC(2026, 11, 1);

function body(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < 500; i++)
    lines.push(
      JSON.stringify({
        ts: NOW - i * 3_600_000,
        service: `svc-${i % 3}`,
        method: i % 2 ? "GET" : "POST",
        route: `/r${i % 7}`,
        region: i % 5 ? "eu" : "us",
        status: i % 11 ? 200 : 503,
        durationMs: i,
      }),
    );
  lines[41] = "{not json";
  lines[77] = JSON.stringify({
    ts: NOW - 500 * 86_400_000,
    service: "a",
    route: "/",
    region: "eu",
    status: 200,
  });
  return Buffer.from(lines.join("\n") + "\n");
}

const pool = new ParsePool(1, () => undefined, { name: "history", youngGenerationMb: 48 });
afterAll(() => pool.close());

async function ready() {
  pool.start();
  for (let i = 0; i < 600 && !pool.ready; i++) await new Promise((r) => setTimeout(r, 50));
  expect(pool.ready).toBe(true);
}

/**
 * The body in pieces as a request's body arrives: each a buffer of its own, cut anywhere (inside a line too),
 * and one a slice of a shared buffer (copied, not moved).
 */
function piecesOf(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, k = 0; at < b.length; k++) {
    const n = Math.min(b.length - at, 997 + ((k * 7919) % 5000));
    // A buffer of its own (Buffer.from would put a small one in Node's shared pool).
    out.push(Buffer.from(Uint8Array.prototype.slice.call(b, at, at + n).buffer));
    at += n;
  }
  const shared = Buffer.alloc(out[1]!.length + 10);
  out[1]!.copy(shared, 5);
  out[1] = shared.subarray(5, 5 + out[1]!.length);
  return out;
}

describe("parseChunk", () => {
  it("parses on the history thread what ndjsonSource parses here, with the body's sha256", async () => {
    await ready();
    const b = body();
    const sent = piecesOf(b);
    expect(sent.length).toBeGreaterThan(5);
    const { bodyHash, batch } = await parseChunk(pool, sent, NOW);
    // Moved to the thread: the caller's own pieces are empty now; the slice of a shared buffer was copied.
    expect(sent[0]!.byteLength).toBe(0);
    expect(sent[1]!.byteLength).toBeGreaterThan(0);
    expect(bodyHash).toBe(createHash("sha256").update(b).digest("hex"));
    const { batch: ref } = ndjsonSource.read(b, NOW, { horizonMs: HISTORY_HORIZON_MS });
    expect(batch.n).toBe(ref.n);
    expect(batch.n).toBe(498);
    expect(batch.rejected).toBe(2);
    expect(batch.errors).toEqual(ref.errors);
    for (let i = 0; i < ref.n; i++) expect(batch.recordAt(i)).toEqual(ref.recordAt(i));
  });

  it("answers chunks sent at once, each with its own records and hash", async () => {
    await ready();
    const b = body();
    const small = Buffer.from(b.subarray(0, b.indexOf(10) + 1));
    const [x, y, z] = await Promise.all([
      parseChunk(pool, piecesOf(b), NOW),
      parseChunk(pool, [Buffer.from(small)], NOW),
      parseChunk(pool, [Buffer.from(b)], NOW),
    ]);
    expect([x.batch.n, y.batch.n, z.batch.n]).toEqual([498, 1, 498]);
    expect(y.bodyHash).toBe(createHash("sha256").update(small).digest("hex"));
    expect(x.bodyHash).toBe(z.bodyHash);
  });

  it("reads pieces cut between \\r and \\n, inside a key, empty and one byte long as the whole body", async () => {
    await ready();
    const crlf = Buffer.from(body().toString("latin1").replace(/\n/g, "\r\n"), "latin1");
    // Cuts: after each of the first 40 lines' \r, one byte at a time for a while, an empty piece, then the rest.
    const cuts: number[] = [];
    for (let at = crlf.indexOf(13), k = 0; at >= 0 && k < 40; at = crlf.indexOf(13, at + 1), k++)
      cuts.push(at + 1);
    const last = cuts[cuts.length - 1]!;
    for (let i = 1; i <= 300; i++) cuts.push(last + i, last + i); // twice each: an empty piece between
    cuts.push(last + 305); // inside the next line
    const pieces: Buffer[] = [];
    let from = 0;
    for (const c of cuts) {
      pieces.push(Buffer.from(Uint8Array.prototype.slice.call(crlf, from, c).buffer));
      from = c;
    }
    pieces.push(Buffer.from(Uint8Array.prototype.slice.call(crlf, from).buffer));
    expect(pieces.some((p) => p.length === 0)).toBe(true);
    const { bodyHash, batch } = await parseChunk(pool, pieces, NOW);
    const { batch: ref } = ndjsonSource.read(crlf, NOW, { horizonMs: HISTORY_HORIZON_MS });
    expect(bodyHash).toBe(createHash("sha256").update(crlf).digest("hex"));
    expect(batch.n).toBe(498);
    expect(batch.errors).toEqual(ref.errors);
    for (let i = 0; i < ref.n; i++) expect(batch.recordAt(i)).toEqual(ref.recordAt(i));
  });

  it("parses here, with the same records and hash, without a thread", async () => {
    const b = body();
    const here = await parseChunk(null, piecesOf(b), NOW);
    await ready();
    const there = await parseChunk(pool, piecesOf(b), NOW);
    expect(here.bodyHash).toBe(there.bodyHash);
    expect(here.batch.n).toBe(there.batch.n);
    expect(here.batch.errors).toEqual(there.batch.errors);
    for (let i = 0; i < here.batch.n; i++) expect(here.batch.recordAt(i)).toEqual(there.batch.recordAt(i));
  });
});

import { createHash } from "node:crypto";
import { HISTORY_HORIZON_MS, ndjsonSource } from "@burnrate/ingest";
import { describe, expect, it } from "vitest";
import { parseChunk, parsesOnThread } from "./parse-chunk";

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
  // In shared memory, as the API's body pool holds it.
  const text = Buffer.from(lines.join("\n") + "\n");
  const shared = Buffer.from(new SharedArrayBuffer(text.length));
  text.copy(shared);
  return shared;
}

describe("parseChunk", () => {
  it("parses on its own thread what ndjsonSource parses, with the body's sha256", async () => {
    const b = body();
    const { bodyHash, batch } = await parseChunk(b, NOW);
    expect(parsesOnThread()).toBe(true);
    expect(bodyHash).toBe(createHash("sha256").update(b).digest("hex"));
    const { batch: ref } = ndjsonSource.read(b, NOW, { horizonMs: HISTORY_HORIZON_MS });
    expect(batch.n).toBe(ref.n);
    expect(batch.n).toBe(498);
    expect(batch.rejected).toBe(2);
    expect(batch.errors).toEqual(ref.errors);
    for (let i = 0; i < ref.n; i++) expect(batch.recordAt(i)).toEqual(ref.recordAt(i));
  });

  it("answers chunks sent at once, each with its own records", async () => {
    const b = body();
    const small = Buffer.from(b.subarray(0, b.indexOf(10) + 1));
    const [x, y, z] = await Promise.all([parseChunk(b, NOW), parseChunk(small, NOW), parseChunk(b, NOW)]);
    expect([x.batch.n, y.batch.n, z.batch.n]).toEqual([498, 1, 498]);
  });
});

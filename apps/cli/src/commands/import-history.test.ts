import { describe, expect, it } from "vitest";
import { parseArgs } from "../options";
import { ChunkReader, type ByteSource } from "./import-history";

/** A source that hands out the parts as they come, at most `max` bytes a read. */
function source(parts: string[]): ByteSource {
  const bufs = parts.map((p) => Buffer.from(p));
  let k = 0;
  let off = 0;
  return {
    async read(into, at, max) {
      while (k < bufs.length && off >= bufs[k]!.length) {
        k++;
        off = 0;
      }
      if (k >= bufs.length) return 0;
      const n = bufs[k]!.copy(into, at, off, off + Math.min(max, bufs[k]!.length - off));
      off += n;
      return n;
    },
    async close() {},
  };
}

async function cut(parts: string[], maxLines: number, maxBytes: number, readBlock?: number) {
  const out: { text: string; lines: number }[] = [];
  const r = new ChunkReader(source(parts), maxLines, maxBytes, readBlock);
  for (let c = await r.next(); c; c = await r.next()) {
    out.push({ text: c.body.toString(), lines: c.lines });
    c.release(); // its buffer is reused by the next chunk: the text was copied out first
  }
  return out;
}

describe("ChunkReader: whole lines, the same chunks however the bytes arrive", () => {
  const text = "a1\nb22\nc333\nd4444\ne5\n";
  it.each([
    { name: "one piece", parts: [text] },
    { name: "byte by byte", parts: text.split("") },
    { name: "split inside lines", parts: ["a1\nb2", "2\nc333\nd4", "444\ne5\n"] },
  ])("$name", async ({ parts }) => {
    expect(await cut(parts, 2, 1000)).toEqual([
      { text: "a1\nb22\n", lines: 2 },
      { text: "c333\nd4444\n", lines: 2 },
      { text: "e5\n", lines: 1 },
    ]);
  });

  it("ends a chunk at the first line end at or past the byte limit", async () => {
    expect(await cut([text], 100, 6)).toEqual([
      { text: "a1\nb22\n", lines: 2 },
      { text: "c333\nd4444\n", lines: 2 },
      { text: "e5\n", lines: 1 },
    ]);
  });

  it("reads in small blocks, into reused buffers, and grows one for a line longer than its room", async () => {
    const long = "L".repeat(50);
    const t = `a1\n${long}\nb22\nc333\n${long}${long}\nd4\n`;
    expect(await cut([t], 2, 6, 4)).toEqual([
      { text: `a1\n${long}\n`, lines: 2 },
      { text: "b22\nc333\n", lines: 2 },
      { text: `${long}${long}\n`, lines: 1 },
      { text: "d4\n", lines: 1 },
    ]);
    // The same chunks whatever the block size, and as one piece or byte by byte.
    const expected = await cut([t], 3, 10, 1);
    for (const block of [2, 3, 7, 64, 1024])
      for (const parts of [[t], t.split("")]) expect(await cut(parts, 3, 10, block)).toEqual(expected);
    expect(expected.map((c) => c.text).join("")).toBe(t);
  });

  it("keeps a chunk's bytes until it is released (chunks in flight are never overwritten)", async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(i % 13)}\n`);
    const r = new ChunkReader(source([lines.join("")]), 7, 40, 16);
    const held: { body: Buffer; text: string; release: () => void }[] = [];
    for (let c = await r.next(); c; c = await r.next()) {
      held.push({ body: c.body, text: c.body.toString(), release: c.release });
      if (held.length > 3) held.shift()!.release(); // 3 in flight, as the command does
      for (const h of held) expect(h.body.toString()).toBe(h.text);
    }
    expect(held.length).toBe(3);
  });

  it("counts a last line without a newline, and gives nothing for an empty file", async () => {
    expect(await cut(["x\ny"], 10, 100)).toEqual([{ text: "x\ny", lines: 2 }]);
    expect(await cut([], 10, 100)).toEqual([]);
  });
});

describe("import-history options", () => {
  it("reads its flags and refuses bad numbers, naming the flag", () => {
    const o = parseArgs(
      ["import-history", "-f", "x.ndjson", "--chunk-lines", "5000", "--parallel", "3", "--restart"],
      {},
    );
    expect(o).toMatchObject({
      command: "import-history",
      file: "x.ndjson",
      chunkLines: 5000,
      parallel: 3,
      restart: true,
    });
    expect(() => parseArgs(["import-history", "--chunk-lines", "0"], {})).toThrow(
      "--chunk-lines must be a whole number 1-1000000",
    );
    expect(() => parseArgs(["import-history", "--parallel", "two"], {})).toThrow(
      "--parallel must be a whole number 1-16",
    );
  });
});

import { describe, expect, it } from "vitest";
import { parseArgs } from "../options";
import { chunksOf } from "./import-history";

async function cut(parts: string[], maxLines: number, maxBytes: number) {
  const out: { text: string; lines: number }[] = [];
  async function* stream() {
    for (const p of parts) yield Buffer.from(p);
  }
  for await (const c of chunksOf(stream(), maxLines, maxBytes))
    out.push({ text: c.body.toString(), lines: c.lines });
  return out;
}

describe("chunksOf: whole lines, the same chunks however the bytes arrive", () => {
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

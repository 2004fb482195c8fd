import { describe, expect, it } from "vitest";
import { parseNdjson } from "./ndjson-parser";
import { ndjsonSource } from "./ndjson-source";

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);
const body = Buffer.from(
  [
    '{"ts":"2026-11-21T09:59:00Z","service":"checkout","method":"GET","route":"/cart","region":"prod-eu","status":200,"durationMs":12}',
    '{"ts":"2026-11-21T09:59:00Z","service":"checkout","endpoint":"GET /cart","region":"prod-eu","status":503}',
    "not json",
  ].join("\n"),
);

describe("ndjsonSource", () => {
  it("reads a body as parseNdjson does, with the NDJSON field names", () => {
    for (const fastPath of [true, false]) {
      const { batch, ignored } = ndjsonSource.read(body, NOW, { fastPath });
      const ref = parseNdjson(body, NOW, { fastPath });
      expect(ignored).toBe(0);
      expect(batch.n).toBe(1);
      expect(batch.recordAt(0)).toEqual(ref.recordAt(0));
      expect(batch.errors).toEqual(ref.errors);
      expect(batch.errors.map((e) => [e.line, e.field])).toEqual([
        [2, "durationMs"],
        [3, undefined],
      ]);
    }
    expect(ndjsonSource.fieldNames).toEqual({ route: "route", region: "region" });
  });
});

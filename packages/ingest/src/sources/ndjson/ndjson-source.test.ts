import { describe, expect, it } from "vitest";
import { DAY_MS } from "@burnrate/slo-core";
import { HISTORY_HORIZON_MS } from "../../records/validate-record";
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

  it.each([
    { daysAgo: 6.9, live: true, history: true },
    { daysAgo: 7.1, live: false, history: true },
    { daysAgo: 449.9, live: false, history: true },
    { daysAgo: 450.1, live: false, history: false },
  ])(
    "a record $daysAgo days old: live ingest $live, history import $history",
    ({ daysAgo, live, history }) => {
      const ts = NOW - daysAgo * DAY_MS;
      // Epoch ms (the fast path) and ISO 8601 with an offset (the slow path's JSON.parse) alike.
      for (const t of [ts, new Date(ts).toISOString().replace("Z", "+00:00")]) {
        const line = Buffer.from(
          JSON.stringify({
            ts: t,
            service: "a",
            method: "GET",
            route: "/",
            region: "eu",
            status: 200,
            durationMs: 1,
          }),
        );
        for (const fastPath of [true, false]) {
          const l = ndjsonSource.read(line, NOW, { fastPath }).batch;
          const h = ndjsonSource.read(line, NOW, { fastPath, horizonMs: HISTORY_HORIZON_MS }).batch;
          expect(l.n).toBe(live ? 1 : 0);
          expect(h.n).toBe(history ? 1 : 0);
          if (!live)
            expect(l.errors[0]?.message).toMatch(
              /7-day late-data horizon \(older records: burnrate import-history\)/,
            );
          if (!history) expect(h.errors[0]?.message).toBe("ts: is older than the 450-day history horizon");
        }
      }
    },
  );
});

import { latencyBucket, type IngestLineError } from "@burnrate/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printable } from "../../records/control-chars";
import { validateRequestRecord } from "../../records/validate-record";
import { MAX_LISTED_ERRORS, type RequestBatch } from "../../records/request-batch";
import { NdjsonParser, parseNdjson } from "./ndjson-parser";

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);

/**
 * The NDJSON parser as it was before the fast path: the whole body decoded, JSON.parse + validate per line
 * (a CRLF line's \r left out, and messages made printable, as the parser does).
 */
function reference(text: string, nowMs: number) {
  const records: ReturnType<RequestBatch["recordAt"]>[] = [];
  const errors: IngestLineError[] = [];
  let rejected = 0;
  let line = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    line++;
    const raw = text.slice(start, text[end - 1] === "\r" && end > start ? end - 1 : end);
    start = end + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      if (/^\s*$/.test(raw)) continue;
      rejected++;
      if (errors.length < MAX_LISTED_ERRORS)
        errors.push({ line, message: printable(`invalid JSON: ${(e as Error).message}`) });
      continue;
    }
    const v = validateRequestRecord(obj, nowMs);
    if (v.ok) {
      const r = v.record;
      records.push({
        line,
        service: r.service,
        method: r.method,
        route: r.route,
        region: r.region,
        minute: Math.floor(r.tsMs / 60_000),
        status: r.status,
        bucket: latencyBucket(r.durationMs),
      });
    } else {
      rejected++;
      if (errors.length < MAX_LISTED_ERRORS)
        errors.push({ line, field: v.field || undefined, message: printable(v.message) });
    }
  }
  return { records, errors, rejected };
}

function view(b: RequestBatch) {
  return {
    records: Array.from({ length: b.n }, (_, i) => b.recordAt(i)),
    errors: b.errors,
    rejected: b.rejected,
  };
}

/** The body in chunks cut at the given offsets, as the route's stream gives it. */
function chunked(body: Buffer, cuts: number[], nowMs: number) {
  const p = new NdjsonParser(nowMs);
  let at = 0;
  for (const c of [...cuts.map((x) => x % (body.length + 1))].sort((a, b) => a - b)) {
    p.write(body.subarray(at, c));
    at = c;
  }
  p.write(body.subarray(at));
  return view(p.end());
}

/** The body as bytes (the route's input); the reference decodes it whole, as the route did. */
function same(body: Buffer, nowMs = NOW, cuts: number[] = [1, 7, 64, 65, 200, 4096]) {
  const want = reference(body.toString("utf8"), nowMs);
  const fast = view(parseNdjson(body, nowMs));
  const slow = view(parseNdjson(body, nowMs, { fastPath: false }));
  expect(fast).toEqual(want);
  expect(slow).toEqual(want);
  expect(chunked(body, cuts, nowMs)).toEqual(want);
  return want;
}

const rec = (o: Record<string, unknown> = {}) =>
  JSON.stringify({
    ts: NOW - 60_000,
    service: "checkout",
    method: "GET",
    route: "/cart",
    region: "prod-eu",
    status: 200,
    durationMs: 42,
    ...o,
  });

describe("parseNdjson: fast path and slow path give the old parser's records and errors", () => {
  it("a mixed body: good lines, bad lines, blank lines, CRLF, a final line without newline", () => {
    const lines = [
      rec(),
      "",
      "{not json",
      rec({ status: "ok" }),
      rec({ ts: NOW + 3600_000 }),
      rec({ service: "Nope" }),
      rec({ route: undefined, method: undefined, endpoint: "GET /cart/{id}" }),
      "   ",
      rec({ durationMs: -1 }),
      rec({ durationMs: 1000.0000000000001 }),
      rec({ ts: "2026-11-21T09:00:00.5+01:00" }),
      "\ufeff" + rec(),
      rec({ route: "/café" }) + "\r",
      rec() + "\r",
      rec({ extra: [1, { a: 2 }] }),
    ];
    const want = same(Buffer.from(lines.join("\n")));
    expect(want.records.length).toBe(8);
    expect(want.errors.map((e) => e.line)).toEqual([3, 4, 5, 9, 12]);
    same(Buffer.from(lines.join("\r\n") + "\n"));
  });

  it("a region named 'all' (every region together) is refused on both paths, naming the field", () => {
    const r = same(
      Buffer.from(
        [rec(), rec({ region: "all" }), rec({ region: "All" }), rec({ region: "ally" })].join("\n"),
      ),
    );
    expect(r.records.length).toBe(2);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [2, "region"],
      [3, "region"],
    ]);
    expect(r.errors[0]!.message).toContain("'all' is reserved");
  });

  it("empty bodies and bodies of blank lines are zero records", () => {
    for (const s of ["", "\n", "\n\n\r\n", "  \n\t\n"])
      expect(same(Buffer.from(s))).toEqual({ records: [], errors: [], rejected: 0 });
  });

  it("invalid UTF-8 is decoded line by line exactly as the whole body was", () => {
    const bad = Buffer.concat([
      Buffer.from(rec({ route: "/a" }).slice(0, -2)),
      Buffer.from([0xe2, 0x82]), // a truncated 3-byte sequence right before the newline
      Buffer.from('"}\n'),
      Buffer.from([0xff, 0xfe, 0x0a, 0xc3]),
      Buffer.from("\n" + rec() + "\n"),
      Buffer.from([0xf0, 0x9f, 0x98]),
    ]);
    same(bad);
  });

  it("generated bodies: every line in line order, the same error for every bad one", () => {
    const goodLine = fc
      .record({
        off: fc.integer({ min: -8 * 86_400_000, max: 600_000 }),
        iso: fc.boolean(),
        service: fc.constantFrom("checkout", "Search", "nope", "bad slug"),
        ep: fc.constantFrom(
          { method: "GET", route: "/cart" },
          { method: "post", route: "/cart/items" },
          { endpoint: "GET /cart" },
          { endpoint: "DELETE /x/{id}" },
          { method: "FETCH", route: "/x" },
        ),
        region: fc.constantFrom("prod-eu", "PROD-US", "", "all", "ALL"),
        status: fc.constantFrom(200, 201, 404, 503, 99, 200.5),
        durationMs: fc.oneof(
          fc.integer({ min: 0, max: 70_000 }),
          fc.double({ min: -1, max: 70_000, noNaN: true }),
        ),
      })
      .map(({ off, iso, ep, ...o }) =>
        JSON.stringify({ ts: iso ? new Date(NOW + off).toISOString() : NOW + off, ...ep, ...o }),
      );
    const anyLine = fc.oneof(
      { arbitrary: goodLine, weight: 8 },
      { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
      { arbitrary: fc.constantFrom("", " ", "\r", "{}", "[]", "null", '{"ts":1}'), weight: 1 },
      { arbitrary: goodLine.map((l) => l.replace(":", ": ")), weight: 1 },
    );
    fc.assert(
      fc.property(
        fc.array(anyLine, { maxLength: 40 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (ls, nl, end, cuts) => {
          same(Buffer.from(ls.join(nl) + (end ? nl : "")), NOW, cuts);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("a line spread over many chunks (a byte at a time) is read once, whole", () => {
    const body = Buffer.from([rec(), rec({ route: "/é" }), "oops", rec()].join("\n"));
    const cuts = Array.from({ length: body.length }, (_, i) => i);
    same(body, NOW, cuts);
  });

  it("a body of more distinct values than the fast path interns still gives every record", () => {
    const lines = Array.from({ length: 6000 }, (_, i) =>
      rec({ route: `/users/${i}`, region: `r-${i % 5000}` }),
    );
    const want = same(Buffer.from(lines.join("\n")), NOW, [100_000]);
    expect(want.records.length).toBe(6000);
    expect(new Set(want.records.map((r) => r.route)).size).toBe(6000);
  });

  it("lists at most MAX_LISTED_ERRORS errors and counts them all", () => {
    const b = parseNdjson(Buffer.from("x\n".repeat(MAX_LISTED_ERRORS + 5)), NOW);
    expect(b.rejected).toBe(MAX_LISTED_ERRORS + 5);
    expect(b.errors.length).toBe(MAX_LISTED_ERRORS);
  });
});

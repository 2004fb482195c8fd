import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateRequestRecord } from "../../records/validate-record";
import { RequestLineScanner } from "./line-scanner";

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);
/** UTF-8 bytes of a string (lone surrogates as U+FFFD), as a body holds them. */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The slow path: what the API did before the fast path existed. */
function slow(line: string, nowMs = NOW) {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { ok: false as const, field: "", message: "invalid JSON" };
  }
  return validateRequestRecord(obj, nowMs);
}

/** The fast path on one line: the record, or null when it defers to the slow path. */
function fast(line: string, nowMs = NOW, scanner = new RequestLineScanner()) {
  // Surrounded by other bytes, as inside a body: the scanner must stay within [start, end).
  const bytes = utf8(`{"x":1}\n${line}\n"}`);
  const start = utf8(`{"x":1}\n`).length;
  const end = start + utf8(line).length;
  return scanner.scan(bytes, start, end, nowMs) ? scanner.record() : null;
}

/** Fast and slow agree: when the fast path accepts, the slow path accepts the very same record. */
function agree(line: string, nowMs = NOW, scanner?: RequestLineScanner) {
  const f = fast(line, nowMs, scanner);
  const s = slow(line, nowMs);
  if (f !== null) {
    expect(s.ok, `fast accepted what slow refuses: ${line}`).toBe(true);
    if (s.ok) expect(f, line).toEqual(s.record);
  }
  return { f, s };
}

const base = {
  ts: NOW - 60_000,
  service: "checkout",
  method: "GET",
  route: "/cart",
  region: "prod-eu",
  status: 200,
  durationMs: 42,
};
const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe("ingest fast path: table", () => {
  it.each([
    ["canonical", line(base)],
    [
      "endpoint instead of method + route",
      line({ ...base, method: undefined, route: undefined, endpoint: "GET /cart/{id}" }),
    ],
    [
      "keys in another order",
      line({
        durationMs: 1,
        status: 503,
        region: "prod-us",
        route: "/x",
        method: "post",
        service: "Cart",
        ts: NOW,
      }),
    ],
    ["ISO time", line({ ...base, ts: "2026-11-21T09:59:00Z" })],
    ["ISO time with milliseconds", line({ ...base, ts: "2026-11-21T09:59:00.123Z" })],
    ["ISO time with 1 fraction digit", line({ ...base, ts: "2026-11-21T09:59:00.5Z" })],
    ["ISO time with microseconds", line({ ...base, ts: "2026-11-21T09:59:00.123456+00:00" })],
    ["ISO time with nanoseconds", line({ ...base, ts: "2026-11-21T09:59:00.999999999Z" })],
    ["ISO time with an offset", line({ ...base, ts: "2026-11-21T10:59:00+01:00" })],
    ["ISO time with a negative offset", line({ ...base, ts: "2026-11-21T05:29:00.25-04:30" })],
    ["fractional duration", line({ ...base, durationMs: 12.345 })],
    ["duration 0", line({ ...base, durationMs: 0 })],
    ["duration 0.5", line({ ...base, durationMs: 0.5 })],
    ["fractional epoch ms", line({ ...base, ts: NOW - 1000.5 })],
    ["uppercase slugs are lowercased", line({ ...base, service: "CheckOut", region: "PROD-EU" })],
    ["lowercase method", line({ ...base, method: "delete" })],
    ["CRLF", line(base) + "\r"],
    ["a status of 200.0", line(base).replace('"status":200', '"status":200.0')],
    ["an exponent", line(base).replace('"durationMs":42', '"durationMs":4.2e1')],
    ["an exponent with a sign", line(base).replace('"durationMs":42', '"durationMs":4200E-2')],
    ["16 significant digits", line(base).replace('"durationMs":42', '"durationMs":1000.000000000001')],
    ["17 significant digits (a double printed by JS)", line({ ...base, durationMs: 12.345678901234567 })],
    [
      "more digits than a double holds",
      line(base).replace('"durationMs":42', '"durationMs":1000.0000000000000001'),
    ],
    ["a status in exponent form", line(base).replace('"status":200', '"status":2e2')],
    ["route with query-ish characters", line({ ...base, route: "/a/{id}?x=1&y=[2]" })],
  ])("%s: the fast path takes it, with the slow path's record", (_name, l) => {
    const { f, s } = agree(l);
    expect(s.ok).toBe(true);
    expect(f).not.toBeNull();
  });

  it.each([
    ["whitespace after a colon", line(base).replace('"status":', '"status": ')],
    ["leading space", " " + line(base)],
    ["trailing space", line(base) + " "],
    ["an unknown key", line({ ...base, extra: 1 })],
    ["a duplicate key", line(base).replace("{", '{"status":500,')],
    ["a duplicate key (last wins in JSON.parse)", line(base).replace("}", ',"status":503}')],
    ["method, route and endpoint", line({ ...base, endpoint: "POST /other" })],
    ["an escaped character", line({ ...base, route: '/a"b' })],
    ["an escaped slash", line(base).replace('"/cart"', '"\\/cart"')],
    ["a unicode escape in a key", line(base).replace('"ts"', '"\\u0074s"')],
    ["non-ASCII", line({ ...base, route: "/café" })],
    ["a negative zero", line(base).replace('"durationMs":42', '"durationMs":-0')],
    ["10 fraction digits in ts", line({ ...base, ts: "2026-11-21T09:59:00.1234567891Z" })],
    ["a lowercase z", line({ ...base, ts: "2026-11-21T09:59:00z" })],
    ["Feb 30 (V8 rolls it over)", line({ ...base, ts: "2026-02-30T00:00:00Z" })],
    ["an offset without a colon", line({ ...base, ts: "2026-11-21T10:59:00+0100" })],
    ["a ts string of another form", line({ ...base, ts: "Sat, 21 Nov 2026 09:59:00 GMT" })],
  ])("%s: deferred to the slow path, which decides", (_name, l) => {
    const { f } = agree(l);
    expect(f).toBeNull();
  });

  it.each([
    ["truncated", line(base).slice(0, -1)],
    ["not JSON", "not json"],
    ["an array", "[1,2,3]"],
    ["null", "null"],
    ["empty object", "{}"],
    ["status as a string", line({ ...base, status: "200" })],
    ["status 700", line({ ...base, status: 700 })],
    ["status 99", line({ ...base, status: 99 })],
    ["fractional status", line({ ...base, status: 200.5 })],
    ["negative duration", line({ ...base, durationMs: -5 })],
    ["null duration", line({ ...base, durationMs: null })],
    ["ts in the future", line({ ...base, ts: NOW + 3600_000 })],
    ["ts too old", line({ ...base, ts: NOW - 8 * 86_400_000 })],
    ["ts garbage", line({ ...base, ts: "yesterday-ish" })],
    ["ts hour 24", line({ ...base, ts: "2026-11-21T24:00:00Z" })],
    ["ts second 60", line({ ...base, ts: "2026-11-21T09:59:60Z" })],
    ["bad method", line({ ...base, method: "FETCH" })],
    ["route without slash", line({ ...base, route: "no-slash" })],
    ["route too long", line({ ...base, route: "/" + "x".repeat(300) })],
    ["endpoint without route", line({ ...base, method: undefined, route: undefined, endpoint: "GET" })],
    ["empty region", line({ ...base, region: "" })],
    ["bad service slug", line({ ...base, service: "bad slug!" })],
    ["service too long", line({ ...base, service: "a".repeat(65) })],
    ["missing route", line({ ...base, route: undefined })],
    ["missing ts", line({ ...base, ts: undefined })],
    ["leading zero", line(base).replace('"durationMs":42', '"durationMs":042')],
    ["an infinite duration", line(base).replace('"durationMs":42', '"durationMs":5e324')],
    ["an infinite ts", line(base).replace(/"ts":\d+/, '"ts":1e999')],
    ["an exponent without digits", line(base).replace('"durationMs":42', '"durationMs":4e')],
    ["a fraction without digits", line(base).replace('"durationMs":42', '"durationMs":4.')],
    ["trailing comma", line(base).replace("}", ",}")],
    ["control characters", "\u0000\u0001xx"],
    ["an escaped NUL in the route", line({ ...base, route: "/a\u0000" })],
    ["an escaped NUL in the endpoint", line({ ...base, route: undefined, endpoint: "GET /a\u0000" })],
    ["an escaped BEL in the region", line({ ...base, region: "eu\u0007" })],
    ["a C1 control in the route", line({ ...base, route: "/a\u0085" })],
    ["an escaped NUL in an extra field", line({ ...base, traceId: "\u0000" })],
  ])("%s: refused by both", (_name, l) => {
    const { f, s } = agree(l);
    expect(f).toBeNull();
    expect(s.ok).toBe(false);
  });

  it("one scanner interns across lines: the same ids for the same values, whatever their spelling", () => {
    const sc = new RequestLineScanner();
    const a = agree(line(base), NOW, sc).f;
    const idA = [sc.service, sc.region, sc.endpoint];
    agree(line({ ...base, service: "CHECKOUT", method: "get" }), NOW, sc);
    expect([sc.service, sc.region, sc.endpoint]).toEqual(idA);
    agree(line({ ...base, method: undefined, route: undefined, endpoint: "GET /cart" }), NOW, sc);
    expect([sc.service, sc.region, sc.endpoint]).toEqual(idA);
    sc.intern(a!);
    expect([sc.service, sc.region, sc.endpoint]).toEqual(idA);
    agree(line({ ...base, route: "/other" }), NOW, sc);
    expect(sc.endpoint).not.toBe(idA[2]);
    expect(sc.services).toEqual(["checkout"]);
    expect(sc.endpoints).toEqual([
      { method: "GET", route: "/cart" },
      { method: "GET", route: "/other" },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generated lines: valid records in every form the fast path reads, then mutated in ways it must notice.

// Each field is mostly valid (so that whole records often are) and sometimes wrong in one of many ways.
const w = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: bad, weight: 1 });
const slugChar = fc.constantFrom(..."abcXYZ019.-_".split(""));
const slug = w(
  fc
    .tuple(fc.constantFrom("a", "Z", "0", "checkout", "prod-eu"), fc.array(slugChar, { maxLength: 8 }))
    .map(([h, t]) => h + t.join("")),
  fc.constantFrom("x".repeat(64), "x".repeat(65), "", "-a", ".a", "a b", "a/b"),
);
const method = w(
  fc.constantFrom("GET", "post", "Put", "DELETE", "options"),
  fc.constantFrom("FETCH", "", "get ", "GETT"),
);
const route = w(
  fc.array(fc.constantFrom(..."/ab{}?=&%:.-_~".split("")), { maxLength: 12 }).map((a) => "/" + a.join("")),
  fc.constantFrom("/", "no-slash", "", "/" + "r".repeat(299), "/" + "r".repeat(300)),
);
const endpoint = w(
  fc.tuple(method, fc.constantFrom(" ", "  "), route).map(([m, s, r]) => m + s + r),
  fc.constantFrom("GET", "GET /a b", " GET /a ", "get /x", "GET\t/x"),
);
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const isoTime = fc
  .tuple(
    fc.integer({ min: -9 * 86_400_000, max: 9 * 86_400_000 }),
    fc.constantFrom("", ".5", ".12", ".123", ".1234", ".999999", ".123456789", ".1234567891"),
    fc.constantFrom("Z", "+01:00", "-04:30", "+00:00", "+13:45", "z", "+0100", "+24:00"),
  )
  .map(([off, frac, zone]) => {
    const z = /^[+-]\d\d:\d\d$/.test(zone) ? zone : null;
    const shift = z ? (z[0] === "+" ? 1 : -1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6))) : 0;
    const l = new Date(NOW + off + shift * 60_000);
    return (
      `${pad(l.getUTCFullYear(), 4)}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}T` +
      `${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}${frac}${zone}`
    );
  });
const oddIso = fc
  .tuple(
    fc.integer({ min: 2024, max: 2027 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
  )
  .map(([y, mo, d, h, mi, s]) => `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`);
const ts = w(
  fc.oneof(
    fc.integer({ min: NOW - 7 * 86_400_000, max: NOW + 300_000 }),
    fc.double({ min: NOW - 7 * 86_400_000, max: NOW + 300_000, noNaN: true }),
    isoTime,
  ),
  fc.oneof(
    oddIso,
    fc.integer({ min: NOW - 9 * 86_400_000, max: NOW + 9 * 86_400_000 }),
    fc.constantFrom(0, -1, "", "2026-11-21", null, true, NOW - 7 * 86_400_000 - 1, NOW + 300_001),
  ),
);
const num = w(
  fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
  fc.constantFrom(0.1, 999.9999999, 1000, 1000.0000000000001, 60_000, 1e21, 5e-324, -1, -0, null, "5", 1e308),
);
const status = w(fc.integer({ min: 100, max: 599 }), fc.constantFrom(99, 600, 200.5, 0, -200, "200", null));

const common = { ts, service: slug, region: slug, status, durationMs: num };
const record = fc.oneof(
  { arbitrary: fc.record({ ...common, method, route }), weight: 6 },
  { arbitrary: fc.record({ ...common, endpoint }), weight: 3 },
  {
    arbitrary: fc.record(
      { ...common, method, route, endpoint },
      { requiredKeys: ["ts", "service", "region", "status", "durationMs"] },
    ),
    weight: 1,
  },
  { arbitrary: fc.record(common, { requiredKeys: [] }), weight: 1 },
);

/** Serialises with the keys in a given order (a permutation seed). */
function serialize(o: Record<string, unknown>, order: number[]): string {
  const keys = Object.keys(o);
  const sorted = keys
    .map((k, i) => [k, order[i % order.length]! + i / 100] as const)
    .sort((a, b) => a[1] - b[1]);
  return "{" + sorted.map(([k]) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(",") + "}";
}

const mutation = fc.oneof(
  fc.constant((l: string) => l),
  fc.constant((l: string) => l),
  fc.constant((l: string) => l),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(
        " ",
        "\t",
        "\r",
        "\n",
        "\u00a0",
        ",",
        ":",
        '"',
        "\\",
        "{",
        "}",
        "0",
        "e",
        ".",
        "-",
        "é",
        "\u2028",
      ),
    )
    .map(([i, c]) => (l: string) => {
      const at = i % (l.length + 1);
      return l.slice(0, at) + c + l.slice(at);
    }),
  fc.nat().map((i) => (l: string) => {
    const at = i % Math.max(1, l.length);
    return l.slice(0, at) + l.slice(at + 1);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })).map(([i, c]) => (l: string) => {
    const at = i % Math.max(1, l.length);
    return l.slice(0, at) + String.fromCharCode(c) + l.slice(at + 1);
  }),
  fc.constant((l: string) => l.replace(/"(\w+)":/, '"\\u00$1":')),
  fc.constant((l: string) => l.replace(/:(\d+)/, ":$1e0")),
  fc.constant((l: string) => l.replace(/:(\d+)/, ":0$1")),
  fc.constant((l: string) => l.replace(/\/(\w)/, "\\/$1")),
  fc.constant((l: string) => l.replace("}", ',"status":201}')),
  fc.constant((l: string) => l.replace("}", ',"extra":{"a":[1]}}')),
  fc.constant((l: string) => l + "\r"),
);

describe("ingest fast path: generated lines", () => {
  it("whenever the fast path accepts a line, the slow path accepts it with the same record", () => {
    const scanner = new RequestLineScanner(); // one per body in the API: interning must not leak between lines
    const seen = { fast: 0, slowOk: 0, slowRefused: 0 };
    fc.assert(
      fc.property(
        record,
        fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 8 }),
        mutation,
        (o, order, mut) => {
          const l = mut(serialize(o, order));
          const { f, s } = agree(l, NOW, scanner);
          // A fresh scanner decides the same (the long-lived one may defer once it has interned its maximum).
          if (f !== null) expect(agree(l, NOW).f).toEqual(f);
          if (f) seen.fast++;
          else if (s.ok) seen.slowOk++;
          else seen.slowRefused++;
        },
      ),
      { numRuns: 20_000 },
    );
    // The generators reach all three outcomes often enough to mean something.
    expect(seen.fast).toBeGreaterThan(1000);
    expect(seen.slowOk).toBeGreaterThan(200);
    expect(seen.slowRefused).toBeGreaterThan(1000);
  }, 30_000); // 20,000 generated lines: seconds on a busy machine

  it("takes every canonical valid record (the fast path is the common path)", () => {
    const valid = fc.record({
      ts: fc.oneof(
        fc.integer({ min: NOW - 7 * 86_400_000, max: NOW + 300_000 }),
        isoTime.filter((s) => /(Z|[+-]\d\d:\d\d)$/.test(s) && !/\.\d{10}/.test(s)),
      ),
      service: fc.constantFrom("checkout", "Cart", "search-api", "a.b_c"),
      method: fc.constantFrom("GET", "POST", "put", "Delete"),
      route: fc.constantFrom("/", "/cart", "/cart/{id}", "/a?b=c"),
      region: fc.constantFrom("prod-eu", "PROD-US", "x"),
      status: fc.integer({ min: 100, max: 599 }),
      durationMs: fc.oneof(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 0, max: 1e9 }).map((n) => n / 1000),
      ),
    });
    fc.assert(
      fc.property(valid, fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 8 }), (o, order) => {
        const l = serialize(o, order);
        const { f, s } = agree(l);
        if (s.ok) expect(f, l).not.toBeNull();
      }),
      { numRuns: 5_000 },
    );
  }, 30_000); // 5,000 generated records: seconds on a busy machine
});

describe("validateRequestRecord: what a bad ts says", () => {
  const rec = {
    service: "cart",
    method: "GET",
    route: "/cart",
    region: "prod-eu",
    status: 200,
    durationMs: 4,
  };
  it.each([
    ["missing", {}, "ts: required: an ISO-8601 string or epoch milliseconds"],
    ["null", { ts: null }, "ts: required: an ISO-8601 string or epoch milliseconds"],
    ["a short string", { ts: "x" }, "ts: 'x' is not an ISO-8601 time"],
    [
      "a long string that is no time",
      { ts: "yesterday at noon" },
      "ts: 'yesterday at noon' is not an ISO-8601 time",
    ],
    ["a boolean", { ts: true }, "ts: must be an ISO-8601 string or epoch milliseconds"],
    ["an object", { ts: { at: 1 } }, "ts: must be an ISO-8601 string or epoch milliseconds"],
  ])("%s", (_name, ts, message) => {
    const v = validateRequestRecord({ ...rec, ...ts }, NOW);
    expect(v.ok).toBe(false);
    expect(v.ok ? null : { field: v.field, message: v.message }).toEqual({ field: "ts", message });
  });
});

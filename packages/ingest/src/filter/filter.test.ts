import { describe, expect, it } from "vitest";
import {
  FilterError,
  canonicalFilter,
  evaluateFilter,
  filterFields,
  parseFilter,
  printFilter,
  type FilterRecord,
} from "./index";

const req = (over: Partial<FilterRecord> = {}): FilterRecord => ({
  status: 200,
  method: "GET",
  route: "/cart",
  region: "prod-eu",
  durationMs: 120,
  ...over,
});

describe("filter language: PRODUCT.md example", () => {
  const good = parseFilter("status < 500 and durationMs <= 800");
  const total = parseFilter('route != "/healthz"');
  it.each([
    [req(), true, true],
    [req({ status: 503 }), false, true],
    [req({ durationMs: 800 }), true, true],
    [req({ durationMs: 800.5 }), false, true],
    [req({ status: 499, durationMs: 10 }), true, true],
    [req({ route: "/healthz" }), true, false],
  ])("%o -> good %s, total %s", (r, g, t) => {
    expect(evaluateFilter(good, r)).toBe(g);
    expect(evaluateFilter(total, r)).toBe(t);
  });
  it("prints the canonical form", () => {
    expect(printFilter(good)).toBe("status < 500 and durationMs <= 800");
    expect(printFilter(total)).toBe('route != "/healthz"');
  });
});

describe("filter language: operators and evaluation", () => {
  const cases: [string, Partial<FilterRecord>, boolean][] = [
    ["true", {}, true],
    ["not true", {}, false],
    ["status = 200", {}, true],
    ["status != 200", {}, false],
    ["status <= 200", {}, true],
    ["status < 200", {}, false],
    ["status >= 200", {}, true],
    ["status > 200", {}, false],
    ["status in (200, 204)", {}, true],
    ["status in (201, 204)", {}, false],
    ["status not in (500, 502, 503)", { status: 502 }, false],
    ["status not in (500, 502, 503)", { status: 501 }, true],
    ['method = "get"', {}, true],
    ['method in ("POST", "put")', { method: "PUT" }, true],
    ['region = "prod-eu" or region = "prod-us"', { region: "prod-us" }, true],
    ['region = "prod-eu" or region = "prod-us"', { region: "prod-jp" }, false],
    ['not (route = "/healthz" or route = "/readyz")', { route: "/readyz" }, false],
    ['not route = "/healthz" and status < 500', {}, true],
    ['status < 500 or route = "/x" and status = 999', { status: 503 }, false],
    ['(status < 500 or route = "/x") and durationMs > 100', { status: 503, route: "/x" }, true],
    ["durationMs > 100", { durationMs: 100 }, false],
    ['route = "/user/{id}"', { route: "/user/{id}" }, true],
    ['route = "a\\"b"', { route: 'a"b' }, true],
    ["STATUS < 500 AND DurationMS <= 800", {}, true],
  ];
  it.each(cases)("%s on %o is %s", (src, over, want) => {
    expect(evaluateFilter(parseFilter(src), req(over))).toBe(want);
  });

  it("and binds tighter than or, and the printer keeps the meaning", () => {
    const a = parseFilter('status < 500 or route = "/x" and status = 999');
    expect(a.type).toBe("or");
    expect(printFilter(a)).toBe('status < 500 or route = "/x" and status = 999');
    const b = parseFilter('(status < 500 or route = "/x") and status = 999');
    expect(printFilter(b)).toBe('(status < 500 or route = "/x") and status = 999');
  });

  it.each([
    ["status<500  AND   durationMs<=800", "status < 500 and durationMs <= 800"],
    ["((true))", "true"],
    ["a", null],
    ["NOT (status = 1 OR status = 2)", "not (status = 1 or status = 2)"],
    ["status in (1,2,3)", "status in (1, 2, 3)"],
    ['region NOT IN ("a","b")', 'region not in ("a", "b")'],
    ["status = 1 and (status = 2 and status = 3)", "status = 1 and status = 2 and status = 3"],
  ])("canonical form of %s", (src, want) => {
    if (want === null) {
      expect(() => canonicalFilter(src)).toThrow(FilterError);
      return;
    }
    expect(canonicalFilter(src)).toBe(want);
    expect(canonicalFilter(want)).toBe(want); // stable
  });

  it("reports the fields it uses", () => {
    expect([...filterFields(parseFilter('status < 500 and not region = "x"'))].sort()).toEqual([
      "region",
      "status",
    ]);
  });
});

describe("filter language: errors name the position", () => {
  const errors: [string, number, RegExp][] = [
    ["status < ", 10, /expected a value/],
    ["status < 500 and ", 18, /expected a field/],
    ["status < 500 and durationMs <= ", 32, /expected a value/],
    ["statu < 500", 1, /unknown field 'statu'/],
    ["status 500", 8, /expected an operator/],
    ["status == 500", 8, /use '=' for equality/],
    ["(status < 500", 14, /expected '\)'/],
    ["status < 500)", 13, /expected 'and', 'or' or the end/],
    ['route = "/x', 9, /unterminated string/],
    ["route = '/x'", 9, /double quotes/],
    ["route = /x", 9, /unexpected character '\/'/],
    ['status = "500"', 10, /'status' is a number/],
    ["route = 5", 9, /'route' is a string/],
    ['route < "/a"', 1, /only =, !=, in and not in/],
    ["status = 200.5", 10, /integer HTTP status/],
    ["durationMs <= 801", 15, /not a histogram bound; allowed: .*800, 900/],
    ["durationMs < 800", 1, /cannot be evaluated exactly/],
    ["durationMs in (800)", 1, /cannot be evaluated exactly/],
    ["status in (200 204)", 16, /expected ',' or '\)'/],
    ["status in 200", 11, /expected '\(' after 'in'/],
    ["status not 200", 12, /expected 'in' after 'not'/],
    ["", 1, /expected a field/],
    ["status < 500 and and", 18, /expected a field/],
    ["status < 5x", 11, /unexpected character 'x' after a number/],
  ];
  it.each(errors)("%j fails at position %i", (src, pos, msg) => {
    let err: unknown;
    try {
      parseFilter(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).position).toBe(pos);
    expect((err as FilterError).message).toMatch(msg);
    expect((err as FilterError).message).toContain(`at position ${pos}`);
  });

  it("accepts extra fields only when asked", () => {
    expect(() => parseFilter('service = "x"')).toThrow(/unknown field 'service'/);
    expect(printFilter(parseFilter('service = "x"', { extraFields: ["service"] }))).toBe('service = "x"');
  });
});

describe("filter language: control characters", () => {
  it.each([
    ['route = "\\u0000"', 9, /string literal contains a control character \(U\+0000\) at position 1/],
    ['route = "a\u0000"', 11, /the filter contains a control character \(U\+0000\) at position 11/],
    ["status < 500\u0000", 13, /the filter contains a control character \(U\+0000\)/],
    ['region in ("eu", "\\u001f")', 18, /control character \(U\+001F\)/],
  ])("refuses %j at position %i", (src, position, msg) => {
    let err: unknown;
    try {
      parseFilter(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).position).toBe(position);
    expect((err as FilterError).message).toMatch(msg);
  });

  it("still takes tabs and newlines as whitespace", () => {
    expect(canonicalFilter('status < 500\n\tand route != "/x"')).toBe('status < 500 and route != "/x"');
  });
});

import { describe, expect, it } from "vitest";
import { ratioSliSql } from "./ratio-sql";

describe("ratioSliSql", () => {
  it("binds every value as a parameter, numbered from the first free one", () => {
    const q = ratioSliSql(
      {
        type: "ratio",
        good: `status < 500 and route = "x'); DROP TABLE slos; --" and durationMs <= 800`,
        total: 'region in ("prod-eu", "prod-us") and method = "get"',
      },
      6,
    );
    const sql = q.good + q.total;
    expect(sql).not.toContain("DROP");
    expect(sql).not.toContain("prod-eu");
    expect(sql).not.toMatch(/\b(500|800)\b/);
    expect(q.params).toContainEqual(["x'); DROP TABLE slos; --"]);
    expect(q.params).toContainEqual(["prod-eu", "prod-us"]);
    expect(q.params).toContainEqual(["GET"]); // methods compare case-insensitively
    expect(q.params).toContainEqual(500);
    expect(q.params).toContainEqual(17); // 800 ms is bound #17 (1-based bucket index)
    const used = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...used)).toBe(6);
    expect(Math.max(...used)).toBe(5 + q.params.length);
  });

  it("uses the row count without durationMs and the histogram with it; good is good AND total", () => {
    const plain = ratioSliSql({ type: "ratio", good: "status < 500", total: "true" }, 6);
    expect(plain.total).toBe("coalesce(sum(count), 0)");
    expect(plain.good).toContain("sum(count) FILTER");
    expect(plain.good).not.toContain("unnest");
    const hist = ratioSliSql({ type: "ratio", good: "durationMs <= 800", total: 'route != "/healthz"' }, 6);
    expect(hist.good).toContain("unnest(latency) WITH ORDINALITY");
    expect(hist.good).toContain("endpoint_id IN"); // the total's condition is part of good
  });

  it("refuses filters that do not parse", () => {
    expect(() => ratioSliSql({ type: "ratio", good: "status <", total: "true" }, 6)).toThrow(/position 9/);
  });
});

import { describe, expect, it } from "vitest";
import { promQueryProblem, promWindowCounts, windowExpr } from "./prometheus-source";

describe("Prometheus window queries", () => {
  it.each([
    [
      'http_requests_total{job="api",code=~"5.."}',
      3_600_000,
      'sum(increase(http_requests_total{job="api",code=~"5.."}[3600s]))',
    ],
    ["sum(rate(x_total[{{.window}}]))", 300_000, "sum(sum(rate(x_total[300s]))) * 300"],
    ["rate(x[{{ .window }}])", 60_000, "sum(rate(x[60s])) * 60"],
  ])("%s over %d ms → %s", (q, w, want) => {
    expect(windowExpr(q, w)).toBe(want);
  });

  it.each([
    ["up", null],
    ['a_total{b="}{"}', null],
    ["sum(rate(a[5m]))", "must be a counter series selector"],
    ["", "is empty"],
  ])("%j: %s", (q, want) => {
    const p = promQueryProblem(q);
    if (want === null) expect(p).toBeNull();
    else expect(p).toContain(want);
  });
});

describe("promWindowCounts", () => {
  const answer = (result: unknown[], status = 200) =>
    new Response(
      JSON.stringify({
        status: status === 200 ? "success" : "error",
        error: "boom",
        data: { resultType: "vector", result },
      }),
      { status },
    );

  it("reads good = total − bad, and a window without series as no data", async () => {
    const fetch = (async (_u: string, init: RequestInit) => {
      const q = new URLSearchParams(init.body as URLSearchParams).get("query")!;
      if (q.includes("[60s]")) return answer([]);
      return answer([{ metric: {}, value: [1, q.includes("code") ? "2.5" : "100"] }]);
    }) as typeof globalThis.fetch;
    const out = await promWindowCounts(
      { url: "http://p", bad: 'r_total{code="500"}', total: "r_total" },
      [3_600_000, 60_000],
      0,
      { timeoutMs: 1000, retries: 0, backoffMs: 0, fetch },
    );
    expect(out.get(3_600_000)).toEqual({ good: 97.5, total: 100 });
    expect(out.has(60_000)).toBe(false);
  });

  it("retries a 503, and refuses a bad query at once", async () => {
    let calls = 0;
    const flaky = (async () =>
      ++calls === 1 ? answer([], 503) : answer([{ metric: {}, value: [1, "4"] }])) as typeof fetch;
    const out = await promWindowCounts({ url: "http://p", good: "g", total: "t" }, [60_000], 0, {
      timeoutMs: 1000,
      retries: 2,
      backoffMs: 1,
      fetch: flaky,
    });
    expect(out.get(60_000)).toEqual({ good: 4, total: 4 });
    let bad = 0;
    const refusing = (async () => (bad++, answer([], 400))) as typeof fetch;
    await expect(
      promWindowCounts({ url: "http://p", good: "g", total: "t" }, [60_000], 0, {
        timeoutMs: 1000,
        retries: 3,
        backoffMs: 1,
        fetch: refusing,
      }),
    ).rejects.toThrow(/400/);
    expect(bad).toBe(2); // one per query, none retried
  });
});

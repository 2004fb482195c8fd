import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api";
import { QueryState } from "./query-state";

const render = (query: { data: string | undefined; error: Error | null; isLoading: boolean }, page = false) =>
  renderToStaticMarkup(
    <QueryState query={query} what="the overview" loadingWhat="SLOs" page={page}>
      {(d) => <p>{d}</p>}
    </QueryState>,
  );

describe("QueryState", () => {
  it("says what is loading, then shows the data", () => {
    expect(render({ data: undefined, error: null, isLoading: true })).toContain("Loading SLOs…");
    expect(render({ data: "rows", error: null, isLoading: false })).toBe("<p>rows</p>");
  });

  it("shows the API's message for any failure, the same way on every page", () => {
    for (const e of [
      new ApiError(401, "unauthorized", "authentication required"),
      new ApiError(403, "forbidden", "admins only"),
      new ApiError(429, "rate_limited", "slow down", {}, 5000),
    ]) {
      const html = render({ data: "stale", error: e, isLoading: false });
      expect(html).toContain(`Could not load the overview: ${e.message}.`);
      expect(html).toContain('role="alert"');
    }
  });

  it("a missing answer is 'not found'; a page of its own wraps the states", () => {
    expect(render({ data: undefined, error: null, isLoading: false })).toContain("not found");
    expect(render({ data: undefined, error: null, isLoading: true }, true)).toMatch(/^<div class="page">/);
  });
});

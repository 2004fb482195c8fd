import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api";
import { QueryState } from "./query-state";

const render = (
  query: { data: string | undefined; error: Error | null; isLoading: boolean; refetch?: () => unknown },
  page = false,
  what = "the overview",
) =>
  renderToStaticMarkup(
    <MemoryRouter>
      <QueryState query={query} what={what} loadingWhat="SLOs" page={page}>
        {(d) => <p>{d}</p>}
      </QueryState>
    </MemoryRouter>,
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

  it("a 404 is 'not found' (a page of its own on a page), never 'check the API'", () => {
    const notFound = new ApiError(404, "not_found", "no service nope");
    const page = render({ data: undefined, error: notFound, isLoading: false }, true, "service nope");
    expect(page).toContain("<h1>Not found</h1>");
    expect(page).toContain("Service nope was not found.");
    expect(page).not.toContain("Could not load");
    expect(render({ data: undefined, error: notFound, isLoading: false })).toContain(
      "Not found: the overview.",
    );
  });

  it("a failure offers a Retry when the query can ask again; no answer at all says so", () => {
    const e = new ApiError(503, "unavailable", "database busy");
    expect(render({ data: undefined, error: e, isLoading: false, refetch: () => 0 })).toContain(
      ">Retry</button>",
    );
    expect(render({ data: undefined, error: e, isLoading: false })).not.toContain("Retry");
    const offline = render({ data: undefined, error: new TypeError("Failed to fetch"), isLoading: false });
    expect(offline).toContain("Could not load the overview: the API did not answer.");
  });

  it("a missing answer is an error; a page of its own wraps the states", () => {
    expect(render({ data: undefined, error: null, isLoading: false })).toContain("the answer was empty");
    expect(render({ data: undefined, error: null, isLoading: true }, true)).toMatch(/^<div class="page">/);
  });
});

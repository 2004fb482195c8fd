import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFrom, errorMessage, isNotFound, shouldRetry } from "./api-error";

const body = (code: string, message: string, details?: unknown) => ({ error: { code, message, details } });

describe("apiErrorFrom", () => {
  it.each([
    { status: 401, code: "unauthorized", message: "wrong email or password" },
    { status: 403, code: "forbidden", message: "team payments: editors only" },
    { status: 409, code: "conflict", message: "an SLO named 'Cart' exists" },
  ])("$status keeps the API's code and message", ({ status, code, message }) => {
    const e = apiErrorFrom(status, body(code, message), null);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status, code, message, fields: {}, retryAfterMs: null });
  });

  it("a 400 names its fields (the first message per field)", () => {
    const e = apiErrorFrom(
      400,
      body("validation_error", "body field 'objectivePercent': must be below 100", {
        issues: [
          { field: "objectivePercent", message: "must be below 100" },
          { field: "objectivePercent", message: "second" },
          { field: "sli.thresholdMs", message: "expected a number" },
          { field: "", message: "unnamed" },
        ],
      }),
      null,
    );
    expect(e.message).toBe("body field 'objectivePercent': must be below 100");
    expect(e.fields).toEqual({
      objectivePercent: "must be below 100",
      "sli.thresholdMs": "expected a number",
    });
  });

  it("a 429 says when to retry", () => {
    const e = apiErrorFrom(429, body("rate_limited", "too many failed sign-ins"), "30");
    expect(e).toMatchObject({ status: 429, code: "rate_limited", retryAfterMs: 30_000 });
    expect(apiErrorFrom(429, body("rate_limited", "x"), "soon").retryAfterMs).toBeNull();
  });

  it("an answer that is not the API's error shape still has status and code", () => {
    expect(apiErrorFrom(502, "<html>Bad gateway</html>", null)).toMatchObject({
      status: 502,
      code: "http_error",
      message: "HTTP 502",
    });
  });
});

describe("errorMessage", () => {
  it("is the API's sentence, an error's message, or the thrown value", () => {
    expect(errorMessage(new ApiError(409, "conflict", "already exists"))).toBe("already exists");
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe("Failed to fetch");
    expect(errorMessage("plain")).toBe("plain");
  });
});

describe("a 400 of a service check names one field", () => {
  it("marks that field with the sentence after its name", () => {
    const body = {
      error: {
        code: "validation_error",
        message: "body field 'endsAt': a maintenance window needs an end",
        details: { field: "endsAt" },
      },
    };
    expect(apiErrorFrom(400, body, null).fields).toEqual({ endsAt: "a maintenance window needs an end" });
  });
  it("a field in a list is spelled as the forms spell it", () => {
    const body = {
      error: {
        code: "validation_error",
        message: "body field 'children[1].endpoint': 'cart' is not 'METHOD /route' (e.g. 'GET /cart')",
        details: { field: "children[1].endpoint" },
      },
    };
    expect(apiErrorFrom(400, body, null).fields).toEqual({
      "children.1.endpoint": "'cart' is not 'METHOD /route' (e.g. 'GET /cart')",
    });
  });
});

describe("which failures are retried and which are 'not found'", () => {
  it("retries no answer, 5xx and 429 up to three times; never another 4xx", () => {
    expect(shouldRetry(0, new TypeError("Failed to fetch"))).toBe(true);
    expect(shouldRetry(2, new ApiError(503, "unavailable", "busy"))).toBe(true);
    expect(shouldRetry(3, new ApiError(503, "unavailable", "busy"))).toBe(false);
    expect(shouldRetry(0, new ApiError(429, "rate_limited", "slow down"))).toBe(true);
    for (const status of [400, 401, 403, 404, 409])
      expect(shouldRetry(0, new ApiError(status, "x", "y"))).toBe(false);
  });
  it("only a 404 is 'not found'", () => {
    expect(isNotFound(new ApiError(404, "not_found", "no slo"))).toBe(true);
    expect(isNotFound(new ApiError(400, "bad_request", "id"))).toBe(false);
    expect(isNotFound(new Error("404"))).toBe(false);
  });
});

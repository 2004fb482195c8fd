import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "./api-error";
import { request } from "./request";

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(
    async (_path: string, _init: RequestInit) =>
      new Response(body === undefined ? null : JSON.stringify(body), { status, headers }),
  );
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}
afterEach(() => vi.unstubAllGlobals());

describe("request", () => {
  it("parses a 2xx answer with its contract", async () => {
    answer(200, { name: "Cart", extra: 1 });
    await expect(request(z.object({ name: z.string() }), "/api/v1/x")).resolves.toEqual({ name: "Cart" });
  });

  it("sends JSON bodies with the CSRF header on writes, and the session cookie", async () => {
    const f = answer(200, {});
    await request(z.unknown(), "/api/v1/tokens", { method: "POST", json: { name: "ci" } });
    const [path, init] = f.mock.calls[0]!;
    expect(path).toBe("/api/v1/tokens");
    expect(init).toMatchObject({ method: "POST", body: '{"name":"ci"}', credentials: "same-origin" });
    expect(init.headers).toMatchObject({ "content-type": "application/json", "x-burnrate-csrf": "1" });
    await request(z.unknown(), "/api/v1/teams");
    expect(f.mock.calls[1]![1].headers).not.toHaveProperty("x-burnrate-csrf");
  });

  it("throws an ApiError for any other answer", async () => {
    answer(403, { error: { code: "forbidden", message: "admins only" } });
    const e = await request(z.unknown(), "/api/v1/settings/priorities", { method: "PUT", json: {} }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 403, code: "forbidden", message: "admins only" });
  });

  it("reads Retry-After on a 429", async () => {
    answer(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "12" });
    await expect(request(z.unknown(), "/api/v1/auth/login", { method: "POST" })).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 12_000,
    });
  });

  it("an answer that breaks its contract is an ApiError that names the path, not a crash later", async () => {
    answer(200, { name: 42 });
    await expect(request(z.object({ name: z.string() }), "/api/v1/slos/1?region=x")).rejects.toMatchObject({
      code: "invalid_response",
      message: expect.stringMatching(
        /^the API's answer to \/api\/v1\/slos\/1 does not match its contract \(name:/,
      ),
    });
  });

  it("a 204 has no body", async () => {
    answer(204, undefined);
    await expect(request(z.null(), "/api/v1/x", { method: "DELETE" })).resolves.toBeNull();
  });
});

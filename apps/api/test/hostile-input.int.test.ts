import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";
import { hostileProbes, judgeProbe } from "./hostile-probes";

/**
 * Every registered route gets a NUL (and other control characters) in every string it takes (see
 * hostile-probes.ts): the answer must be a 4xx, and a 400 naming the field.
 */
describe("NUL and control characters at every boundary: a 400 naming the field, never a 5xx", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("every route, every string: 0 × 5xx, and the field is named", async () => {
    expect(stack.app.apiRoutes.length).toBeGreaterThan(40);
    const probes = hostileProbes(stack.app, "cart");
    expect(probes.length).toBeGreaterThan(300);
    const failures: string[] = [];
    for (const p of probes) {
      const res = await stack.app.inject({
        method: p.method as "GET",
        url: p.url,
        headers: {
          authorization: `Bearer ${stack.token}`,
          ...(p.payload !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(p.payload !== undefined ? { payload: p.payload } : {}),
      });
      const problem = judgeProbe(p, res.statusCode, res.body);
      if (problem) failures.push(problem);
    }
    expect(failures).toEqual([]);
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it("free text keeps tabs and newlines; names and filters do not take control characters", async () => {
    const ok = await call(stack, "PATCH", "/api/v1/teams/shop", { name: "Shop\tteam" });
    expect(ok.status).toBe(200);
    expect(ok.body?.name).toBe("Shop\tteam");
    const badQuery = await call(stack, "GET", `/api/v1/services?team=${encodeURIComponent("shop\n")}`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body?.error.message).toMatch(/^query\.team: contains the control character U\+000A/);
    const keyed = await call(stack, "POST", "/api/v1/services", {
      slug: "k",
      name: "K",
      team: "shop",
      labels: { "a\u0000": "b" },
    });
    expect(keyed.status).toBe(400);
    expect(keyed.body?.error.details.field).toBe("body.labels");
  });

  it("an OpenSLO file with a YAML NUL escape is refused, naming the document's field", async () => {
    const yaml = [
      "apiVersion: openslo/v1",
      "kind: Service",
      "metadata:",
      '  name: "ca\\0rt"',
      "spec:",
      '  description: "x"',
      "",
    ].join("\n");
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/openslo/import",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/yaml" },
      payload: yaml,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/metadata\.name.*control character U\+0000/);
  });

  it("a Slack interaction whose payload carries a NUL is refused, not a 500", async () => {
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/slack/interactions",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "payload=%7B%22type%22%3A%22%00%22%7D",
    });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  });
});

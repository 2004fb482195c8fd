import { describe, expect, it } from "vitest";
import { CreateOncallOverrideBody, CreateSwapBody } from "./oncall";

describe("override and swap bodies", () => {
  it.each([
    ["an override", CreateOncallOverrideBody, { position: "main", email: "x", from: "a", to: "b" }],
    ["a swap", CreateSwapBody, { from: "a", to: "b" }],
  ] as const)("%s with times that are not times: an error per field, not a crash", (_, schema, body) => {
    const r = schema.safeParse(body);
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join("."));
    expect(fields).toContain("from");
    expect(fields).toContain("to");
  });

  it("'to' must be after 'from'", () => {
    const r = CreateSwapBody.safeParse({ from: "2026-12-07T10:00:00Z", to: "2026-12-07T09:00:00Z" });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([
      expect.objectContaining({ path: ["to"], message: "'to' must be after 'from'" }),
    ]);
  });
});

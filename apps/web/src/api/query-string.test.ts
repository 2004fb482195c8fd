import { describe, expect, it } from "vitest";
import { qs, setOnly } from "./query-string";

describe("qs", () => {
  it("sorts the keys and leaves out what is not set", () => {
    expect(qs({ team: "payments", region: "", sli: null, includeDefaults: false, limit: 20 })).toBe(
      "?limit=20&team=payments",
    );
    expect(qs({ includeDefaults: true, service: "a b" })).toBe("?includeDefaults=true&service=a+b");
    expect(qs({ team: "" })).toBe("");
  });
});

describe("setOnly", () => {
  it("gives equal filters one cache key", () => {
    expect(setOnly({ team: "", region: "prod-eu", includeDefaults: false })).toEqual({ region: "prod-eu" });
    expect(setOnly({})).toEqual({});
  });
});

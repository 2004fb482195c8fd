import { describe, expect, it } from "vitest";
import { formatLine, parseLines } from "./sso-lines";

describe("the group mapping's lines", () => {
  it("reads OIDC_GROUP_ROLES' syntax, one line per group, blank lines and spaces around '=' ignored", () => {
    expect(parseLines("payments-editors=payments:editor\n\n  sre = admin \nviewers=growth:viewer")).toEqual([
      { group: "payments-editors", role: "editor", team: "payments" },
      { group: "sre", role: "admin", team: null },
      { group: "viewers", role: "viewer", team: "growth" },
    ]);
    expect(parseLines("")).toEqual([]);
  });

  it("names the first line that is not a mapping", () => {
    expect(parseLines("a=payments:editor\nb=payments:owner")).toMatch(/^line 2: 'b=payments:owner'/);
    expect(parseLines("no-equals")).toMatch(/^line 1:/);
    expect(parseLines("a=Payments:editor")).toMatch(/^line 1:/);
  });

  it("writes a line back as it reads", () => {
    for (const line of ["g=payments:editor", "g=payments:viewer", "g=admin"]) {
      const parsed = parseLines(line);
      if (typeof parsed === "string") throw new Error(parsed);
      expect(formatLine(parsed[0]!)).toBe(line);
    }
  });
});

import { describe, expect, it } from "vitest";
import { localToIso, msToLocal } from "./local-time";

describe("datetime-local values", () => {
  it("round-trip an instant at minute precision, in any time zone", () => {
    const ms = Date.parse("2026-03-29T01:30:00Z");
    expect(Date.parse(localToIso(msToLocal(ms)))).toBe(ms);
  });
  it("leave text that is not a time as it is, so the contract names the field", () => {
    expect(localToIso("tomorrow")).toBe("tomorrow");
  });
});

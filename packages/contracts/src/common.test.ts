import { describe, expect, it } from "vitest";
import { Instant } from "./common";

describe("Instant", () => {
  it.each([
    ["2026-12-06T00:10:00Z", "2026-12-06T00:10:00.000Z"],
    ["2026-12-06T01:10:00+01:00", "2026-12-06T00:10:00.000Z"],
    [0, "1970-01-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000Z"],
  ])("%s is %s", (input, iso) => {
    expect(Instant.parse(input).toISOString()).toBe(iso);
  });
  it.each([
    ["0050-01-01T00:00:00Z", "must not be before 1970-01-01"],
    ["1969-12-31T23:59:59Z", "must not be before 1970-01-01"],
    ["yesterday", "ISO"],
    [-1, ">=0"],
  ])("%s is refused: %s", (input, message) => {
    const r = Instant.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain(message);
  });
});

import { describe, expect, it } from "vitest";
import { newSecret, newSessionSecret, sha256 } from "./secrets";

describe("secrets", () => {
  it.each([
    { input: "", expected: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { input: "abc", expected: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
  ])("sha256('$input') is the hex digest", ({ input, expected }) => {
    expect(sha256(input)).toBe(expected);
  });

  it("a token secret carries its prefix and 24 random bytes", () => {
    const s = newSecret("brt");
    expect(s).toMatch(/^brt_[A-Za-z0-9_-]{32}$/);
    expect(newSecret("brt")).not.toBe(s);
  });

  it("a session secret is 32 random bytes, URL-safe", () => {
    expect(newSessionSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

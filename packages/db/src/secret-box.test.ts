import { describe, expect, it } from "vitest";
import { createSecretBox, parseSecretKey, SecretKeyError, secretKeySettingProblem } from "./secret-box";

const HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const B64 = Buffer.from(HEX, "hex").toString("base64");

describe("receiver secrets at rest", () => {
  it("the setting: required in production only, a malformed key refused everywhere", () => {
    for (const [key, env, problem] of [
      [undefined, "production", /required when NODE_ENV=production/],
      ["", "production", /required when NODE_ENV=production/],
      [undefined, "development", null],
      [undefined, undefined, null],
      [B64, "production", null],
      [HEX, undefined, null],
      ["short", undefined, /must be 32 bytes/],
      ["short", "production", /must be 32 bytes/],
    ] as const) {
      const got = secretKeySettingProblem(key, env);
      if (problem === null) expect(got, `${key} ${env}`).toBeNull();
      else expect(got, `${key} ${env}`).toMatch(problem);
    }
  });
  it("takes a 32-byte key as hex or base64 and refuses anything else, saying how to make one", () => {
    expect(parseSecretKey(HEX)).toEqual(Buffer.from(HEX, "hex"));
    expect(parseSecretKey(B64)).toEqual(Buffer.from(HEX, "hex"));
    for (const bad of [
      "",
      "short",
      HEX.slice(2),
      Buffer.alloc(16).toString("base64"),
      `${B64}AAAA`,
      "x".repeat(44),
    ])
      expect(() => parseSecretKey(bad), bad).toThrow(/32 bytes.*openssl rand -base64 32/);
  });

  it("seals with a fresh nonce each time and opens back; plain text (stored before a key) opens as it is", () => {
    const box = createSecretBox(HEX);
    const a = box.seal("routing-key-1");
    const b = box.seal("routing-key-1");
    expect(a).toMatch(/^enc:v1:[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("routing-key-1");
    expect(box.open(a)).toBe("routing-key-1");
    expect(box.open(b)).toBe("routing-key-1");
    expect(box.open("legacy-plain")).toBe("legacy-plain");
    expect(box.open(box.seal("ünïcødé ✓"))).toBe("ünïcødé ✓");
  });

  it("refuses a sealed value with another key, with no key, or altered", () => {
    const sealed = createSecretBox(HEX).seal("routing-key-1");
    expect(() => createSecretBox(B64.replace(/^A/, "B")).open(sealed)).toThrow(SecretKeyError);
    expect(() => createSecretBox(null).open(sealed)).toThrow(/BURNRATE_SECRET_KEY is not set/);
    const [iv, tag, body] = sealed.slice("enc:v1:".length).split(".") as [string, string, string];
    // One bit of the ciphertext flipped (on the bytes: the last base64 character may carry unused bits).
    const bytes = Buffer.from(body, "base64url");
    bytes[0] = bytes[0]! ^ 1;
    const flipped = bytes.toString("base64url");
    expect(() => createSecretBox(HEX).open(`enc:v1:${iv}.${tag}.${flipped}`)).toThrow(/altered/);
    expect(() => createSecretBox(HEX).open("enc:v1:garbage")).toThrow(SecretKeyError);
  });

  it("without a key stores secrets as they are", () => {
    const box = createSecretBox(undefined);
    expect(box.encrypting).toBe(false);
    expect(box.seal("k-1234")).toBe("k-1234");
  });
});

import { describe, expect, it } from "vitest";
import {
  createSecretBox,
  parsePreviousSecretKeys,
  parseSecretKey,
  previousSecretKeysSettingProblem,
  SecretKeyError,
  secretKeyId,
  secretKeySettingProblem,
} from "./secret-box";

const HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const B64 = Buffer.from(HEX, "hex").toString("base64");
const KEY_B = Buffer.alloc(32, 0xb).toString("base64");
const KEY_C = Buffer.alloc(32, 0xc).toString("hex");
/** Sealed before keys had ids (format v1), with HEX and with 32 bytes of 9: kept as written then. */
const LEGACY_HEX = "enc:v1:u92K89mCV9rzoD1D.3ro-ON9gauE26cp_X6HKJA.GHHfsKKImK6Q0FzxPw";
const LEGACY_NINE = "enc:v1:28WgK0HEiR7E4p4l.LMGpRBtF-OZ1ZgqK6-iNlg.ysiHrOZgI6FSce7su1Ts6pf5";
const NINE = Buffer.alloc(32, 9).toString("hex");
const idOf = (k: string) => secretKeyId(parseSecretKey(k));

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
    expect(a).toMatch(new RegExp(`^enc:v2:${idOf(HEX)}:[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
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
    const head = `enc:v2:${idOf(HEX)}:`;
    const [iv, tag, body] = sealed.slice(head.length).split(".") as [string, string, string];
    // One bit of the ciphertext flipped (on the bytes: the last base64 character may carry unused bits).
    const bytes = Buffer.from(body, "base64url");
    bytes[0] = bytes[0]! ^ 1;
    const flipped = bytes.toString("base64url");
    expect(() => createSecretBox(HEX).open(`${head}${iv}.${tag}.${flipped}`)).toThrow(/altered/);
    expect(() => createSecretBox(HEX).open(`${head}garbage`)).toThrow(SecretKeyError);
    expect(() => createSecretBox(HEX).open("enc:v1:garbage")).toThrow(SecretKeyError);
    // The key id rewritten to another configured key's: that key does not open it (the id is authenticated too).
    const relabelled = sealed.replace(idOf(HEX), idOf(KEY_B));
    expect(() => createSecretBox(KEY_B, HEX).open(relabelled)).toThrow(/does not open with key .*altered/);
  });

  it("without a key stores secrets as they are", () => {
    const box = createSecretBox(undefined);
    expect(box.encrypting).toBe(false);
    expect(box.seal("k-1234")).toBe("k-1234");
  });
});

describe("key rotation", () => {
  it("a key id is 8 hex digits of a hash: the same for the same key in hex or base64, never the key", () => {
    const id = idOf(HEX);
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(idOf(B64)).toBe(id);
    expect(idOf(KEY_B)).not.toBe(id);
    expect(HEX).not.toContain(id);
    expect(createSecretBox(HEX).keyId).toBe(id);
    expect(createSecretBox(null).keyId).toBeNull();
  });

  it("sealed with the old key, opened with the new key plus the old one as previous", () => {
    const old = createSecretBox(HEX);
    const sealed = old.seal("routing-key-1");
    const rotated = createSecretBox(KEY_B, `${KEY_C}, ${B64}`);
    expect(rotated.previousKeyIds).toEqual([idOf(KEY_C), idOf(HEX)]);
    expect(rotated.open(sealed)).toBe("routing-key-1");
    expect(rotated.isCurrent(sealed)).toBe(false);
    // New secrets are sealed with the new key only: the old box cannot read them.
    const fresh = rotated.seal("routing-key-2");
    expect(rotated.isCurrent(fresh)).toBe(true);
    expect(fresh.startsWith(`enc:v2:${idOf(KEY_B)}:`)).toBe(true);
    expect(() => old.open(fresh)).toThrow(SecretKeyError);
    // Once re-sealed, the old key can go.
    expect(createSecretBox(KEY_B).open(rotated.seal(rotated.open(sealed)))).toBe("routing-key-1");
  });

  it("a key id that no configured key has is a clear error naming the ids, never a key or the secret", () => {
    const sealed = createSecretBox(HEX).seal("routing-key-1");
    let message = "";
    try {
      createSecretBox(KEY_B, KEY_C).open(sealed);
    } catch (e) {
      expect(e).toBeInstanceOf(SecretKeyError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      `the secret was sealed with key ${idOf(HEX)}, which is neither BURNRATE_SECRET_KEY (${idOf(KEY_B)}) nor in BURNRATE_SECRET_KEY_PREVIOUS (${idOf(KEY_C)}): set the key it was sealed with`,
    );
    for (const leak of [HEX, B64, KEY_B, KEY_C, "routing-key-1"]) expect(message).not.toContain(leak);
    expect(() => createSecretBox(KEY_B).open(sealed)).toThrow(/BURNRATE_SECRET_KEY_PREVIOUS \(none\)/);
  });

  it("the format without a key id (written before rotation) opens with the current or any previous key", () => {
    expect(createSecretBox(HEX).open(LEGACY_HEX)).toBe("routing-key-1");
    expect(createSecretBox(KEY_B, HEX).open(LEGACY_HEX)).toBe("routing-key-1");
    expect(createSecretBox(KEY_B, `${KEY_C},${NINE},${HEX}`).open(LEGACY_NINE)).toBe("legacy-under-key-9");
    expect(createSecretBox(HEX).isCurrent(LEGACY_HEX)).toBe(false);
    expect(() => createSecretBox(KEY_B, KEY_C).open(LEGACY_HEX)).toThrow(
      /does not open with BURNRATE_SECRET_KEY or BURNRATE_SECRET_KEY_PREVIOUS/,
    );
    expect(() => createSecretBox(null).open(LEGACY_HEX)).toThrow(/BURNRATE_SECRET_KEY is not set/);
  });

  it("BURNRATE_SECRET_KEY_PREVIOUS: comma-separated, blanks ignored, a malformed entry named by its place", () => {
    expect(parsePreviousSecretKeys(undefined)).toEqual([]);
    expect(parsePreviousSecretKeys(" , ")).toEqual([]);
    expect(parsePreviousSecretKeys(` ${HEX} ,, ${KEY_B},`)).toEqual([
      parseSecretKey(HEX),
      parseSecretKey(KEY_B),
    ]);
    for (const [previous, current, problem] of [
      [undefined, HEX, null],
      ["", HEX, null],
      [`${KEY_B},${KEY_C}`, HEX, null],
      [HEX, HEX, null],
      [`${KEY_B},not-a-key-at-all`, HEX, /^BURNRATE_SECRET_KEY_PREVIOUS: key 2 of 2 must be 32 bytes/],
      [`${HEX.slice(1)}`, HEX, /^BURNRATE_SECRET_KEY_PREVIOUS: key 1 of 1 must be 32 bytes/],
      [KEY_B, undefined, /BURNRATE_SECRET_KEY_PREVIOUS is set but BURNRATE_SECRET_KEY is not/],
    ] as const) {
      const got = previousSecretKeysSettingProblem(previous, current);
      if (problem === null) expect(got, String(previous)).toBeNull();
      else {
        expect(got, String(previous)).toMatch(problem);
        expect(got).not.toContain("not-a-key-at-all");
        expect(got).not.toContain(HEX.slice(1));
      }
    }
    expect(() => createSecretBox(HEX, `${KEY_B},short`)).toThrow(/BURNRATE_SECRET_KEY_PREVIOUS: key 2 of 2/);
  });
});

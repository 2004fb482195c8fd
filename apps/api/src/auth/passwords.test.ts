import { describe, expect, it } from "vitest";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./passwords";

/** The hash's parameters (algorithm, N, r, p), without salt and key. */
const params = (hash: string) => hash.split("$").slice(0, 4).join("$");

describe("passwords", () => {
  it("verifies the password a hash was made from, and no other", async () => {
    const hash = await hashPassword("correct horse");
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horse!", hash)).toBe(false);
  });

  it("salts each hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it.each(["", "plain", "bcrypt$10$x$y$salt$key", "scrypt$16384$8$1$$", "scrypt$16384$8$1$c2FsdA=="])(
    "a malformed stored hash '%s' never matches",
    async (stored) => {
      expect(await verifyPassword("anything", stored)).toBe(false);
    },
  );

  it("the dummy hash has the parameters of real ones and is made once", async () => {
    const dummy = await dummyPasswordHash();
    expect(params(dummy)).toBe(params(await hashPassword("x")));
    expect(await dummyPasswordHash()).toBe(dummy);
  });
});

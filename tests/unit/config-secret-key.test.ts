import { describe, expect, it } from "vitest";
import { loadApiConfig } from "../../apps/api/src/config";
import { loadWorkerConfig } from "../../apps/worker/src/config";

const KEY = Buffer.alloc(32, 1).toString("base64");
const BASE = { DATABASE_URL: "postgres://x/y" };

describe("BURNRATE_SECRET_KEY", () => {
  for (const [name, load] of [
    ["API", loadApiConfig],
    ["worker", loadWorkerConfig],
  ] as const) {
    it(`${name}: refused without a key in production, optional elsewhere, a malformed key named`, () => {
      expect(() => load({ ...BASE, NODE_ENV: "production" })).toThrow(
        /BURNRATE_SECRET_KEY is required when NODE_ENV=production/,
      );
      expect(load({ ...BASE, NODE_ENV: "production", BURNRATE_SECRET_KEY: KEY }).BURNRATE_SECRET_KEY).toBe(
        KEY,
      );
      expect(load({ ...BASE }).BURNRATE_SECRET_KEY).toBeUndefined();
      expect(() => load({ ...BASE, BURNRATE_SECRET_KEY: "too-short" })).toThrow(
        /BURNRATE_SECRET_KEY: BURNRATE_SECRET_KEY must be 32 bytes/,
      );
    });
  }

  for (const [name, load] of [
    ["API", loadApiConfig],
    ["worker", loadWorkerConfig],
  ] as const) {
    it(`${name}: BURNRATE_SECRET_KEY_PREVIOUS is read, and a malformed entry stops the start naming it, never showing it`, () => {
      const old = Buffer.alloc(32, 2).toString("hex");
      const cfg = load({ ...BASE, BURNRATE_SECRET_KEY: KEY, BURNRATE_SECRET_KEY_PREVIOUS: `${old}, ${KEY}` });
      expect(cfg.BURNRATE_SECRET_KEY_PREVIOUS).toBe(`${old}, ${KEY}`);
      let message = "";
      try {
        load({ ...BASE, BURNRATE_SECRET_KEY: KEY, BURNRATE_SECRET_KEY_PREVIOUS: `${old},hunter2-not-a-key` });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(
        /invalid configuration:\n {2}BURNRATE_SECRET_KEY_PREVIOUS: key 2 of 2 must be 32 bytes/,
      );
      expect(message).not.toContain("hunter2");
      expect(message).not.toContain(old);
      expect(() => load({ ...BASE, BURNRATE_SECRET_KEY_PREVIOUS: old })).toThrow(
        /BURNRATE_SECRET_KEY_PREVIOUS is set but BURNRATE_SECRET_KEY is not/,
      );
    });
  }
});

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Db } from "./client";

/** How a sealed secret starts: version 1 is AES-256-GCM, `enc:v1:<iv>.<tag>.<ciphertext>` in base64url. */
export const SEALED_PREFIX = "enc:v1:";
/** Bound into every seal: a sealed value only opens as a receiver secret. */
const AAD = Buffer.from("burnrate receiver secret v1");

/** A key that is not 32 bytes, or a sealed secret that cannot be opened (no key, another key, tampered). */
export class SecretKeyError extends Error {}

/**
 * BURNRATE_SECRET_KEY: 32 random bytes, as 64 hex digits or base64 (`openssl rand -base64 32`). Throws
 * SecretKeyError saying what is wrong.
 */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(t) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(t)))
    throw new SecretKeyError(
      "BURNRATE_SECRET_KEY must be 32 bytes: 64 hex digits or base64 (openssl rand -base64 32)",
    );
  return key;
}

/**
 * Without BURNRATE_SECRET_KEY receiver secrets are stored as they are: allowed in development and tests (the
 * processes say so when they start), refused in production.
 */
export const NO_SECRET_KEY_IN_PRODUCTION =
  "BURNRATE_SECRET_KEY is required when NODE_ENV=production: receiver secrets are encrypted with it (openssl rand -base64 32)";

/**
 * What is wrong with the BURNRATE_SECRET_KEY setting (null: nothing). Unset is fine outside production; the API
 * and the worker check it the same way when they start.
 */
export function secretKeySettingProblem(
  text: string | undefined,
  nodeEnv: string | undefined,
): string | null {
  if (!text) return nodeEnv === "production" ? NO_SECRET_KEY_IN_PRODUCTION : null;
  try {
    parseSecretKey(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export const isSealed = (stored: string) => stored.startsWith(SEALED_PREFIX);

/** Seals and opens receiver secrets with one key; without a key it stores them as they are. */
export interface SecretBox {
  /** A key is set: new secrets are sealed. */
  readonly encrypting: boolean;
  /** The stored form of a secret: sealed with a key, as it is without one. */
  seal(plain: string): string;
  /** The secret of a stored value: a sealed one is opened, a plain one (written before a key) is returned. */
  open(stored: string): string;
}

export function createSecretBox(keyText?: string | null): SecretBox {
  const key = keyText ? parseSecretKey(keyText) : null;
  return {
    encrypting: key !== null,
    seal(plain) {
      if (!key) return plain;
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      c.setAAD(AAD);
      const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return `${SEALED_PREFIX}${[iv, c.getAuthTag(), body].map((b) => b.toString("base64url")).join(".")}`;
    },
    open(stored) {
      if (!isSealed(stored)) return stored;
      if (!key)
        throw new SecretKeyError(
          "the secret is encrypted and BURNRATE_SECRET_KEY is not set: set the key it was sealed with",
        );
      const [iv, tag, body] = stored.slice(SEALED_PREFIX.length).split(".");
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64url"));
        d.setAAD(AAD);
        d.setAuthTag(Buffer.from(tag ?? "", "base64url"));
        return Buffer.concat([d.update(Buffer.from(body ?? "", "base64url")), d.final()]).toString("utf8");
      } catch {
        throw new SecretKeyError(
          "the secret does not open with BURNRATE_SECRET_KEY (another key, or altered)",
        );
      }
    },
  };
}

/**
 * Seals the receiver secrets still stored in plain text (written before a key was set). Idempotent: a row is
 * rewritten only while it is still the plain value read, so two API processes starting at once seal it once.
 * Returns how many were sealed.
 */
export async function sealPlaintextSecrets(db: Db, box: SecretBox): Promise<number> {
  if (!box.encrypting) return 0;
  const rows = await db.receiver.findMany({
    where: { secret: { not: null }, NOT: { secret: { startsWith: SEALED_PREFIX } } },
    select: { id: true, secret: true },
  });
  let sealed = 0;
  for (const r of rows) {
    const { count } = await db.receiver.updateMany({
      where: { id: r.id, secret: r.secret },
      data: { secret: box.seal(r.secret!) },
    });
    sealed += count;
  }
  return sealed;
}

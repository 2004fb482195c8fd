import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Db } from "./client";

/**
 * How a sealed secret starts. Both versions are AES-256-GCM with base64url parts:
 * - `enc:v2:<key id>:<iv>.<tag>.<ciphertext>`: written now; the key id names the key that sealed it;
 * - `enc:v1:<iv>.<tag>.<ciphertext>`: written before keys could be rotated (no key id); still opened.
 */
export const SEALED_PREFIX = "enc:v2:";
const LEGACY_PREFIX = "enc:v1:";
export const SEALED_PREFIXES = [SEALED_PREFIX, LEGACY_PREFIX] as const;
/** Bound into every seal: a sealed value only opens as a stored secret of Burnrate (v2 also binds its key id). */
const AAD_V1 = Buffer.from("burnrate receiver secret v1");
const aadV2 = (kid: string) => Buffer.from(`burnrate secret v2 ${kid}`);

/** A key that is not 32 bytes, or a sealed secret that cannot be opened (no key, another key, tampered). */
export class SecretKeyError extends Error {}

const HOW_TO_MAKE = "32 bytes: 64 hex digits or base64 (openssl rand -base64 32)";

/**
 * BURNRATE_SECRET_KEY: 32 random bytes, as 64 hex digits or base64 (`openssl rand -base64 32`). Throws
 * SecretKeyError saying what is wrong (never the text itself). `name` is the setting it came from.
 */
export function parseSecretKey(text: string, name = "BURNRATE_SECRET_KEY"): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(t) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(t)))
    throw new SecretKeyError(`${name} must be ${HOW_TO_MAKE}`);
  return key;
}

/**
 * BURNRATE_SECRET_KEY_PREVIOUS: the keys secrets may still be sealed with, comma-separated, each as
 * BURNRATE_SECRET_KEY. Blanks around commas and empty entries are ignored. A malformed entry is named by its
 * position, never shown.
 */
export function parsePreviousSecretKeys(text: string | null | undefined): Buffer[] {
  if (!text) return [];
  const entries = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return entries.map((entry, i) => {
    try {
      return parseSecretKey(entry);
    } catch {
      throw new SecretKeyError(
        `BURNRATE_SECRET_KEY_PREVIOUS: key ${i + 1} of ${entries.length} must be ${HOW_TO_MAKE}; keys are separated by commas`,
      );
    }
  });
}

/** Bytes of SHA-256 kept as a key id: 4 bytes tell a handful of keys apart and say nothing of the key. */
const KEY_ID_BYTES = 4;

/**
 * The key id written into each sealed secret: the first 8 hex digits of SHA-256 over a label and the key, so
 * it identifies the key without revealing it (and is not the hash of the bare key used anywhere else).
 */
export function secretKeyId(key: Buffer): string {
  return createHash("sha256")
    .update("burnrate secret key id\0")
    .update(key)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString("hex");
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

/**
 * What is wrong with the BURNRATE_SECRET_KEY_PREVIOUS setting (null: nothing): a malformed entry, or previous
 * keys without a current key (secrets would then be written in plain text while old ones stay sealed).
 */
export function previousSecretKeysSettingProblem(
  previousText: string | undefined,
  currentText: string | undefined,
): string | null {
  let keys: Buffer[];
  try {
    keys = parsePreviousSecretKeys(previousText);
  } catch (e) {
    return (e as Error).message;
  }
  if (keys.length > 0 && !currentText)
    return "BURNRATE_SECRET_KEY_PREVIOUS is set but BURNRATE_SECRET_KEY is not: set the key new secrets are sealed with";
  return null;
}

/**
 * The problems of both key settings as configuration error lines ("  BURNRATE_SECRET_KEY: …"), for the API's and
 * the worker's startup check. They name the variable (and which entry), never a key.
 */
export function secretKeySettingsProblems(env: {
  BURNRATE_SECRET_KEY?: string | undefined;
  BURNRATE_SECRET_KEY_PREVIOUS?: string | undefined;
  NODE_ENV?: string | undefined;
}): string[] {
  const problems: string[] = [];
  const keyProblem = secretKeySettingProblem(env.BURNRATE_SECRET_KEY, env.NODE_ENV);
  if (keyProblem) problems.push(`  BURNRATE_SECRET_KEY: ${keyProblem}`);
  const previousProblem = previousSecretKeysSettingProblem(
    env.BURNRATE_SECRET_KEY_PREVIOUS,
    env.BURNRATE_SECRET_KEY,
  );
  if (previousProblem) problems.push(`  ${previousProblem}`);
  return problems;
}

export const isSealed = (stored: string) => SEALED_PREFIXES.some((p) => stored.startsWith(p));

/**
 * Seals stored secrets with the current key and opens them with the key that sealed them: the current one or
 * one of the previous ones. Without a key it stores them as they are.
 */
export interface SecretBox {
  /** A key is set: new secrets are sealed. */
  readonly encrypting: boolean;
  /** The id of the key new secrets are sealed with (null: no key). */
  readonly keyId: string | null;
  /** The ids of the previous keys, in the order given. */
  readonly previousKeyIds: readonly string[];
  /** The stored form of a secret: sealed with the current key, as it is without one. */
  seal(plain: string): string;
  /** The secret of a stored value: a sealed one is opened, a plain one (written before a key) is returned. */
  open(stored: string): string;
  /** The stored value is sealed with the current key (nothing to rotate). */
  isCurrent(stored: string): boolean;
}

const openGcm = (key: Buffer, aad: Buffer, parts: string): string => {
  const [iv, tag, body, extra] = parts.split(".");
  if (extra !== undefined) throw new Error("too many parts");
  const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64url"));
  d.setAAD(aad);
  d.setAuthTag(Buffer.from(tag ?? "", "base64url"));
  return Buffer.concat([d.update(Buffer.from(body ?? "", "base64url")), d.final()]).toString("utf8");
};

/**
 * A box over BURNRATE_SECRET_KEY (`keyText`, seals and opens) and BURNRATE_SECRET_KEY_PREVIOUS
 * (`previousKeysText`, comma-separated, only opens). Throws SecretKeyError on a malformed key.
 */
export function createSecretBox(keyText?: string | null, previousKeysText?: string | null): SecretBox {
  const key = keyText ? parseSecretKey(keyText) : null;
  const kid = key ? secretKeyId(key) : null;
  const byId = new Map<string, Buffer>();
  const previousKeyIds: string[] = [];
  for (const k of parsePreviousSecretKeys(previousKeysText)) {
    const id = secretKeyId(k);
    if (!byId.has(id)) previousKeyIds.push(id);
    byId.set(id, k);
  }
  if (key && kid) byId.set(kid, key);
  // Legacy (v1) seals carry no key id: tried with the current key first, then the previous ones.
  const legacyOrder = [...(key ? [key] : []), ...previousKeyIds.map((id) => byId.get(id)!)];
  const keysSaid = () =>
    `BURNRATE_SECRET_KEY (${kid ?? "not set"}) nor in BURNRATE_SECRET_KEY_PREVIOUS (${previousKeyIds.join(", ") || "none"})`;

  return {
    encrypting: key !== null,
    keyId: kid,
    previousKeyIds,
    seal(plain) {
      if (!key || !kid) return plain;
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      c.setAAD(aadV2(kid));
      const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return `${SEALED_PREFIX}${kid}:${[iv, c.getAuthTag(), body].map((b) => b.toString("base64url")).join(".")}`;
    },
    open(stored) {
      if (!isSealed(stored)) return stored;
      if (byId.size === 0)
        throw new SecretKeyError(
          "the secret is encrypted and BURNRATE_SECRET_KEY is not set: set the key it was sealed with",
        );
      if (stored.startsWith(LEGACY_PREFIX)) {
        const parts = stored.slice(LEGACY_PREFIX.length);
        for (const k of legacyOrder) {
          try {
            return openGcm(k, AAD_V1, parts);
          } catch {
            // another key: try the next one
          }
        }
        throw new SecretKeyError(
          "the secret does not open with BURNRATE_SECRET_KEY or BURNRATE_SECRET_KEY_PREVIOUS (another key, or altered)",
        );
      }
      const rest = stored.slice(SEALED_PREFIX.length);
      const colon = rest.indexOf(":");
      const id = colon === -1 ? "" : rest.slice(0, colon);
      const k = byId.get(id);
      if (!k)
        throw new SecretKeyError(
          `the secret was sealed with key ${/^[0-9a-f]{8}$/.test(id) ? id : "(unreadable id)"}, which is neither ${keysSaid()}: set the key it was sealed with`,
        );
      try {
        return openGcm(k, aadV2(id), rest.slice(colon + 1));
      } catch {
        throw new SecretKeyError(`the secret does not open with key ${id} (altered)`);
      }
    },
    isCurrent(stored) {
      return kid !== null && stored.startsWith(`${SEALED_PREFIX}${kid}:`);
    },
  };
}

/**
 * Seals the receiver secrets and Prometheus credentials still stored in plain text (written before a key was
 * set). Idempotent: a row is rewritten only while it is still the plain value read, so two API processes
 * starting at once seal it once.
 * Returns how many were sealed.
 */
export async function sealPlaintextSecrets(db: Db, box: SecretBox): Promise<number> {
  if (!box.encrypting) return 0;
  const rows = await db.receiver.findMany({
    where: {
      secret: { not: null },
      NOT: { OR: SEALED_PREFIXES.map((p) => ({ secret: { startsWith: p } })) },
    },
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
  // Prometheus sources' credentials, likewise.
  const slos = await db.slo.findMany({
    where: {
      sourceSecret: { not: null },
      NOT: { OR: SEALED_PREFIXES.map((p) => ({ sourceSecret: { startsWith: p } })) },
    },
    select: { id: true, sourceSecret: true },
  });
  for (const r of slos) {
    const { count } = await db.slo.updateMany({
      where: { id: r.id, sourceSecret: r.sourceSecret },
      data: { sourceSecret: box.seal(r.sourceSecret!) },
    });
    sealed += count;
  }
  return sealed;
}

import { createHash, randomBytes } from "node:crypto";

/** Hex SHA-256: API tokens and session secrets are stored only as this hash. */
export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Bytes of randomness in an API token's secret (192 bits). */
const TOKEN_SECRET_BYTES = 24;
/** Bytes of randomness in a session's secret (256 bits). */
const SESSION_SECRET_BYTES = 32;

/** A new API token secret, `<prefix>_<random>`; the prefix tells what it is when it turns up in a log. */
export const newSecret = (prefix: string) =>
  `${prefix}_${randomBytes(TOKEN_SECRET_BYTES).toString("base64url")}`;

/** A new session secret, the value of the session cookie. */
export const newSessionSecret = () => randomBytes(SESSION_SECRET_BYTES).toString("base64url");

import { secretKeySettingsProblems } from "@burnrate/db";
import { z } from "zod";

const Bool = z
  .enum(["0", "1", "true", "false"])
  .transform((v) => v === "1" || v === "true")
  .optional();

/**
 * Which proxies may tell the API the client's address (X-Forwarded-For): unset or "false" trusts none (the
 * socket's address counts), a number trusts that many hops, otherwise a comma-separated list of addresses/CIDRs.
 */
const TrustProxy = z
  .string()
  .optional()
  .transform((v, ctx): false | number | string[] => {
    const s = (v ?? "").trim();
    if (s === "" || s === "false" || s === "0") return false;
    if (/^[0-9]+$/.test(s)) return Number(s);
    if (s === "true")
      return (
        ctx.addIssue({
          code: "custom",
          message:
            "'true' would trust X-Forwarded-For from any client: give the number of proxy hops or a comma-separated list of proxy addresses/CIDRs",
        }),
        z.NEVER
      );
    const list = s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = list.find(
      (x) => !/^[0-9a-fA-F.:]+(\/[0-9]{1,3})?$/.test(x) && !/^(loopback|linklocal|uniquelocal)$/.test(x),
    );
    if (bad)
      return (
        ctx.addIssue({ code: "custom", message: `'${bad}' is not an IP address, CIDR or hop count` }),
        z.NEVER
      );
    return list;
  });

/** Who may sign in with OpenID Connect, and with which roles: apps/api/README.md "Single sign-on". */
const OidcGroupRoles = z
  .string()
  .optional()
  .transform((v, ctx): OidcGroupRole[] => {
    const out: OidcGroupRole[] = [];
    for (const raw of (v ?? "").split(",")) {
      const item = raw.trim();
      if (!item) continue;
      const m = /^([^=\s]+)=(?:(admin)|([a-z0-9][a-z0-9-]*):(editor|viewer))$/.exec(item);
      if (!m)
        return (
          ctx.addIssue({
            code: "custom",
            message: `'${item}' is not 'group=team:editor', 'group=team:viewer' or 'group=admin'`,
          }),
          z.NEVER
        );
      out.push(
        m[2]
          ? { group: m[1]!, admin: true }
          : { group: m[1]!, team: m[3]!, role: m[4] as "editor" | "viewer" },
      );
    }
    return out;
  });
export type OidcGroupRole =
  { group: string; admin: true } | { group: string; team: string; role: "editor" | "viewer" };

export const ApiConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BURNRATE_ADMIN_EMAIL: z.string().email().optional(),
  BURNRATE_ADMIN_PASSWORD: z.string().min(8).optional(),
  BURNRATE_BOOTSTRAP_TOKEN: z.string().min(16).optional(),
  BURNRATE_WEB_DIST: z.string().optional(),
  BURNRATE_INGEST_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /** Backpressure and limits of ingest (apps/api/README.md "Ingest limits"). */
  BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: z.coerce.number().int().min(1).default(3),
  BURNRATE_INGEST_MAX_INFLIGHT_MB: z.coerce.number().int().min(1).default(64),
  BURNRATE_INGEST_MAX_MEMORY_MB: z.coerce.number().int().min(64).default(384),
  BURNRATE_INGEST_MAX_EVENT_LOOP_LAG_MS: z.coerce.number().int().min(0).default(250),
  BURNRATE_INGEST_DB_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  BURNRATE_INGEST_QUEUE_WAIT_MS: z.coerce.number().int().min(0).default(1000),
  BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE: z.coerce.number().int().min(1).default(500),
  BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE: z.coerce.number().int().min(1).default(50),
  /** Worker threads parsing NDJSON bodies; 0 parses on the main thread (default: the cores but one, 1 to 4). */
  BURNRATE_INGEST_PARSE_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  /** History import chunks written at once per API process, and how long one waits for a slot before a 429. */
  BURNRATE_HISTORY_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(3),
  BURNRATE_HISTORY_QUEUE_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  BURNRATE_IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Receiving a whole request (headers and body) may take this long; then 408 and the connection closes. */
  BURNRATE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  BURNRATE_MIGRATE_ON_START: Bool,
  BURNRATE_SECURE_COOKIES: Bool,
  SLACK_SIGNING_SECRET: z.string().optional(),
  /** The API posts the settings page's test message itself; the worker posts alerts with the same token. */
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: z.string().url().optional(),
  BURNRATE_QUEUE_PREFIX: z.string().min(1).default("bull"),
  BURNRATE_TRUST_PROXY: TrustProxy,
  /** Encrypts receiver secrets at rest (AES-256-GCM); required when NODE_ENV=production. */
  BURNRATE_SECRET_KEY: z.string().optional(),
  /** Older keys, comma-separated: they only open secrets sealed before a key rotation. */
  BURNRATE_SECRET_KEY_PREVIOUS: z.string().optional(),
  NODE_ENV: z.string().optional(),
  /** Single sign-on with OpenID Connect: on when OIDC_ISSUER and OIDC_CLIENT_ID are set. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.string().url().optional(),
  OIDC_PROVIDER_NAME: z.string().min(1).max(60).default("single sign-on"),
  OIDC_SCOPES: z.string().default("openid email profile groups"),
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  OIDC_GROUP_ROLES: OidcGroupRoles,
  /** "false" turns local passwords off (OIDC must then be configured). */
  BURNRATE_PASSWORD_LOGIN: Bool,
});
export type ApiConfig = z.infer<typeof ApiConfig> & { publicUrl: string; oidc: OidcConfig | null };

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUrl: string;
  providerName: string;
  scopes: string;
  groupsClaim: string;
  groupRoles: OidcGroupRole[];
}

/** Plain http is allowed for an issuer on this machine only (a local provider); anywhere else it must be https. */
function isLoopback(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/** Parses the environment once; the result is passed down. Packages never read env. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = ApiConfig.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const d = parsed.data;
  const publicUrl = d.PUBLIC_URL ?? `http://localhost:${d.PORT}`;
  const problems: string[] = [];
  if (Boolean(d.OIDC_ISSUER) !== Boolean(d.OIDC_CLIENT_ID))
    problems.push("  OIDC_ISSUER and OIDC_CLIENT_ID: set both for single sign-on, or neither");
  if (d.OIDC_ISSUER && new URL(d.OIDC_ISSUER).protocol !== "https:" && !isLoopback(new URL(d.OIDC_ISSUER)))
    problems.push("  OIDC_ISSUER: must be an https URL (http only for a provider on localhost)");
  if (d.BURNRATE_PASSWORD_LOGIN === false && !d.OIDC_ISSUER)
    problems.push("  BURNRATE_PASSWORD_LOGIN: passwords can be turned off only when OIDC_ISSUER is set");
  problems.push(...secretKeySettingsProblems(d));
  if (problems.length) throw new Error(`invalid configuration:\n${problems.join("\n")}`);
  const oidc: OidcConfig | null =
    d.OIDC_ISSUER && d.OIDC_CLIENT_ID
      ? {
          issuer: d.OIDC_ISSUER,
          clientId: d.OIDC_CLIENT_ID,
          clientSecret: d.OIDC_CLIENT_SECRET,
          redirectUrl: d.OIDC_REDIRECT_URL ?? new URL("/api/v1/auth/oidc/callback", publicUrl).href,
          providerName: d.OIDC_PROVIDER_NAME,
          scopes: d.OIDC_SCOPES,
          groupsClaim: d.OIDC_GROUPS_CLAIM,
          groupRoles: d.OIDC_GROUP_ROLES,
        }
      : null;
  return { ...d, publicUrl, oidc };
}

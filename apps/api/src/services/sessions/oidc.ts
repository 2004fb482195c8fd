import { randomBytes } from "node:crypto";
import { AppError, type ErrorCode } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Redis } from "ioredis";
import * as client from "openid-client";
import type { OidcConfig, OidcGroupRole } from "../../config";
import { recordAudit } from "../audit";
import { SESSION_TTL_MS, createSession } from "./create-session";
import type { LoggedIn } from "./login";

/** A sign-in through the provider must come back within this time; then it starts again. */
export const OIDC_FLOW_TTL_S = 600;

/** A refused sign-in through the provider: the callback shows its message on a page with this status. */
export class OidcError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** What is kept server side between the redirect to the provider and its answer (once, for 10 minutes). */
interface Flow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** A path on this site to land on after signing in; anything else (another site, `//host`, `/\host`) is "/". */
export function safeReturnTo(next: string | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if ([...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return "/";
  return next.slice(0, 2000);
}

/**
 * The OpenID Connect client: discovery (once, retried on the next sign-in when the provider was unreachable),
 * the authorization code flow with PKCE (S256), state and nonce. The flow's secrets live in Redis under a
 * random id that only the browser's httpOnly cookie carries; the callback takes them once (GETDEL), so an
 * answer replayed, forged or meant for another browser finds nothing to match.
 */
export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly cfg: OidcConfig,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  get providerName(): string {
    return this.cfg.providerName;
  }

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.cfg.issuer);
      const p = client.discovery(
        issuer,
        this.cfg.clientId,
        undefined,
        this.cfg.clientSecret ? client.ClientSecretBasic(this.cfg.clientSecret) : client.None(),
        {
          execute: issuer.protocol === "http:" ? [client.allowInsecureRequests] : [],
          timeout: 10,
        },
      );
      this.configuration = p;
      p.catch(() => {
        if (this.configuration === p) this.configuration = null;
      });
    }
    return this.configuration.catch((e: unknown) => {
      throw new OidcError(
        "unavailable",
        `the sign-in provider at ${this.cfg.issuer} could not be reached (${errorText(e)}); try again shortly`,
      );
    });
  }

  private key(flowId: string): string {
    return `${this.keyPrefix}:burnrate-oidc:${flowId}`;
  }

  /** Starts a sign-in: stores the flow's secrets and returns the provider's URL and the flow's id (the cookie). */
  async start(returnTo: string): Promise<{ url: string; flowId: string }> {
    const config = await this.discover();
    const flow: Flow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo: safeReturnTo(returnTo),
    };
    const flowId = randomBytes(24).toString("base64url");
    await this.redis.set(this.key(flowId), JSON.stringify(flow), "EX", OIDC_FLOW_TTL_S);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.cfg.redirectUrl,
      scope: this.cfg.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: "S256",
    });
    return { url: url.href, flowId };
  }

  /**
   * Checks the provider's answer against the stored flow (state, then the code exchange with the PKCE verifier,
   * then the ID token's signature, issuer, audience and nonce) and returns the user's claims and where to land.
   */
  async finish(
    flowId: string | undefined,
    query: Record<string, string | undefined>,
  ): Promise<{ claims: Record<string, unknown>; returnTo: string }> {
    if (query.error)
      throw new OidcError(
        "forbidden",
        `the sign-in provider refused: ${query.error}${query.error_description ? ` (${query.error_description})` : ""}`,
      );
    if (!query.state || !query.code)
      throw new OidcError("validation_error", "the provider's answer has no 'state' or no 'code'");
    if (!flowId)
      throw new OidcError(
        "validation_error",
        "this browser started no sign-in (its sign-in cookie is missing or expired): start again",
      );
    const raw = await this.redis.getdel(this.key(flowId));
    if (!raw)
      throw new OidcError("validation_error", "this sign-in expired or was already used: start again");
    const flow = JSON.parse(raw) as Flow;
    if (query.state !== flow.state)
      throw new OidcError(
        "validation_error",
        "the 'state' of the provider's answer does not match this sign-in",
      );
    const config = await this.discover();
    const callbackUrl = new URL(this.cfg.redirectUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) callbackUrl.searchParams.set(k, v);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw new OidcError("validation_error", `the provider's answer was refused: ${errorText(e)}`);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcError("validation_error", "the provider sent no ID token");
    let claims: Record<string, unknown> = { ...idClaims };
    // Many providers put email and groups in the UserInfo answer only.
    if (claims.email === undefined || claims[this.cfg.groupsClaim] === undefined) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...claims };
        for (const k of ["email", "email_verified", "name", this.cfg.groupsClaim])
          if (claims[k] === undefined && info[k] !== undefined) claims[k] = info[k];
      } catch (e) {
        throw new OidcError("unavailable", `the provider's UserInfo could not be read: ${errorText(e)}`);
      }
    }
    return { claims, returnTo: flow.returnTo };
  }
}

/** The most precise reason openid-client gives: the provider's error code, or the check that failed. */
function errorText(e: unknown): string {
  const err = e as { message?: string; cause?: unknown; error?: string };
  if (err.error) return String(err.error);
  const cause = err.cause as { message?: unknown } | undefined;
  const detail = typeof cause?.message === "string" ? cause.message : undefined;
  return String(detail ?? err.message ?? e).slice(0, 300);
}

/** The groups named by the claim: a list of strings, or one string (some providers send one group bare). */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((g): g is string => typeof g === "string");
  return [];
}

export interface MappedRoles {
  /** team slug → the role the groups give (editor beats viewer); teams the mapping names but no group gives are absent. */
  teams: Map<string, "editor" | "viewer">;
  /** Every team the mapping names: the provider owns these memberships. */
  managedTeams: Set<string>;
  /** null when no group maps to admin (the provider does not decide who is admin). */
  admin: boolean | null;
}

/** What the user's groups give under the configured mapping. Pure. */
export function mapGroups(groups: string[], mapping: OidcGroupRole[]): MappedRoles {
  const has = new Set(groups);
  const teams = new Map<string, "editor" | "viewer">();
  const managedTeams = new Set<string>();
  let admin: boolean | null = null;
  for (const m of mapping) {
    if ("admin" in m) {
      admin = (admin ?? false) || has.has(m.group);
      continue;
    }
    managedTeams.add(m.team);
    if (!has.has(m.group)) continue;
    if (m.role === "editor" || !teams.has(m.team)) teams.set(m.team, m.role);
  }
  return { teams, managedTeams, admin };
}

/**
 * Signs in the provider's user: finds or creates the user by email, sets the memberships of every team the
 * mapping names to what the groups give now (adding, changing or removing them; other teams' memberships are
 * left alone) and starts a normal session. All in one transaction: a crash leaves the old roles and no session.
 */
export async function oidcLogin(
  deps: { db: Db; nowMs: number; groupsClaim: string; groupRoles: OidcGroupRole[] },
  claims: Record<string, unknown>,
): Promise<LoggedIn & { groups: string[] }> {
  const { db, nowMs } = deps;
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320)
    throw new OidcError("forbidden", "the provider sent no email address for this account");
  if (claims.email_verified === false)
    throw new OidcError("forbidden", `the provider has not verified the email address ${email}`);
  const name =
    typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
  const groups = groupsOf(claims, deps.groupsClaim);
  const mapped = mapGroups(groups, deps.groupRoles);
  const actor = { kind: "user" as const, label: email };
  const user = await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    const u = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: mapped.admin === null ? {} : { isAdmin: mapped.admin },
        })
      : await tx.user.create({ data: { email, name, isAdmin: mapped.admin ?? false } });
    if (!existing)
      await recordAudit(tx, {
        actor: null,
        action: "user.created_by_sso",
        entity: "user",
        entityId: u.id,
        after: { email, name, isAdmin: u.isAdmin },
      });
    const teams = await tx.team.findMany({ where: { slug: { in: [...mapped.managedTeams] } } });
    for (const team of teams) {
      const want = mapped.teams.get(team.slug);
      const have = await tx.teamMember.findUnique({
        where: { teamId_userId: { teamId: team.id, userId: u.id } },
      });
      if ((have?.role ?? null) === (want ?? null)) continue;
      if (want)
        await tx.teamMember.upsert({
          where: { teamId_userId: { teamId: team.id, userId: u.id } },
          create: { teamId: team.id, userId: u.id, role: want },
          update: { role: want },
        });
      else await tx.teamMember.delete({ where: { teamId_userId: { teamId: team.id, userId: u.id } } });
      await recordAudit(tx, {
        actor: { ...actor, id: u.id, isAdmin: u.isAdmin, editorOf: new Set(), viaCookie: true },
        action: "team.member_set_by_sso",
        entity: "team",
        entityId: team.id,
        teamId: team.id,
        before: { email, role: have?.role ?? null },
        after: { email, role: want ?? null, groups },
      });
    }
    return u;
  });
  const secret = await createSession(db, user.id, nowMs);
  return {
    user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin },
    session: { secret, ttlMs: SESSION_TTL_MS },
    groups,
  };
}

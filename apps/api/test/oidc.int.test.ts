import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApiConfig } from "../src/config";
import { mapGroups, safeReturnTo } from "../src/services/sessions/oidc";
import { call, startStack, type Stack } from "./harness";
import { signInAtProvider, startLocalProvider, type LocalProvider } from "./oidc-provider";

const CALLBACK = "http://burnrate.test/api/v1/auth/oidc/callback";

/** The cookies an answer sets, by name (value "" when it clears one). */
function setCookies(headers: Record<string, unknown>): Map<string, string> {
  const raw = headers["set-cookie"];
  const list = Array.isArray(raw) ? (raw as string[]) : raw ? [String(raw)] : [];
  return new Map(
    list.map((c) => {
      const pair = c.split(";")[0]!;
      const eq = pair.indexOf("=");
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

describe("single sign-on through a real OpenID Connect provider", () => {
  let idp: LocalProvider;
  let stack: Stack;
  let passwordless: Stack;

  beforeAll(async () => {
    idp = await startLocalProvider({
      redirectUris: [CALLBACK],
      accounts: [
        { email: "Alice@Example.com", name: "Alice Payments", groups: ["payments-editors"] },
        { email: "bob@example.com", name: "Bob", groups: ["payments-viewers", "everyone"] },
        { email: "mallory@example.com", name: "Mallory", groups: ["payments-editors"], emailVerified: false },
      ],
    });
    const oidcEnv = {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_PROVIDER_NAME: "Local IdP",
      OIDC_GROUP_ROLES:
        "payments-editors=payments:editor, payments-viewers=payments:viewer, search-editors=discovery:editor, burnrate-admins=admin",
    };
    [stack, passwordless] = await Promise.all([
      startStack({ apiEnv: oidcEnv }),
      startStack({ apiEnv: { ...oidcEnv, BURNRATE_PASSWORD_LOGIN: "false" } }),
    ]);
    for (const s of [stack, passwordless]) {
      await call(s, "POST", "/api/v1/teams", { slug: "payments", name: "Payments", slackChannel: "#pay" });
      await call(s, "POST", "/api/v1/teams", { slug: "discovery", name: "Discovery", slackChannel: "#disc" });
      await call(s, "POST", "/api/v1/teams", { slug: "growth", name: "Growth", slackChannel: "#growth" });
    }
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), passwordless?.stop()]);
    await idp?.close();
  });

  /** Asks the API to start a sign-in: the provider's URL and the flow cookie. */
  async function start(s: Stack, next?: string) {
    const res = await s.app.inject({
      method: "GET",
      url: `/api/v1/auth/oidc/login${next ? `?next=${encodeURIComponent(next)}` : ""}`,
    });
    expect(res.statusCode).toBe(302);
    const flow = setCookies(res.headers).get("burnrate_oidc");
    expect(flow).toBeTruthy();
    expect(String(res.headers["set-cookie"])).toMatch(/HttpOnly/);
    expect(String(res.headers["set-cookie"])).toMatch(/SameSite=Lax/);
    return { authorizationUrl: String(res.headers.location), flow: flow! };
  }

  /** Brings the provider's answer (the callback URL) to the API with the flow cookie. */
  function callback(s: Stack, answer: URL, flow: string | null) {
    return s.app.inject({
      method: "GET",
      url: `${answer.pathname}${answer.search}`,
      headers: flow ? { cookie: `burnrate_oidc=${flow}` } : {},
    });
  }

  async function signIn(s: Stack, email: string, next?: string) {
    const { authorizationUrl, flow } = await start(s, next);
    const answer = await signInAtProvider(authorizationUrl, email);
    return callback(s, answer, flow);
  }

  async function rolesOf(s: Stack, email: string) {
    const u = await s.db.user.findUnique({
      where: { email },
      include: { memberships: { include: { team: true } } },
    });
    return {
      isAdmin: u?.isAdmin ?? null,
      teams: Object.fromEntries((u?.memberships ?? []).map((m) => [m.team.slug, m.role])),
    };
  }

  it("the login page is told about the provider; the authorization request uses PKCE (S256), state and nonce", async () => {
    const providers = await stack.app.inject({ method: "GET", url: "/api/v1/auth/providers" });
    expect(JSON.parse(providers.body)).toEqual({
      password: true,
      oidc: { name: "Local IdP", loginUrl: "/api/v1/auth/oidc/login" },
    });
    const { authorizationUrl } = await start(stack);
    const u = new URL(authorizationUrl);
    expect(u.origin).toBe(idp.issuer);
    expect(u.searchParams.get("client_id")).toBe(idp.clientId);
    expect(u.searchParams.get("redirect_uri")).toBe(CALLBACK);
    expect(u.searchParams.get("response_type")).toBe("code");
    expect(u.searchParams.get("code_challenge_method")).toBe("S256");
    expect(u.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(u.searchParams.get("state")!.length).toBeGreaterThanOrEqual(22);
    expect(u.searchParams.get("nonce")!.length).toBeGreaterThanOrEqual(22);
    expect(u.searchParams.get("scope")).toBe("openid email profile groups");
  });

  it("group payments-editors becomes editor of team payments, with a normal httpOnly SameSite session", async () => {
    const res = await signIn(stack, "alice@example.com", "/slos?team=payments");
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("/slos?team=payments");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/burnrate_session=[^;]+;.*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = setCookies(res.headers).get("burnrate_session")!;
    const me = await stack.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { cookie: `burnrate_session=${session}` },
    });
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ kind: "user", email: "alice@example.com", isAdmin: false });
    expect(await rolesOf(stack, "alice@example.com")).toEqual({
      isAdmin: false,
      teams: { payments: "editor" },
    });
    const user = await stack.db.user.findUnique({ where: { email: "alice@example.com" } });
    expect(user).toMatchObject({ name: "Alice Payments", passwordHash: null });
    // The session edits team payments: a service can be created there, not in another team.
    const headers = {
      cookie: `burnrate_session=${session}`,
      "x-burnrate-csrf": "1",
      "content-type": "application/json",
    };
    const own = await stack.app.inject({
      method: "POST",
      url: "/api/v1/services",
      headers,
      payload: JSON.stringify({ slug: "checkout", name: "Checkout", team: "payments" }),
    });
    expect(own.statusCode).toBe(201);
    const other = await stack.app.inject({
      method: "POST",
      url: "/api/v1/services",
      headers,
      payload: JSON.stringify({ slug: "search", name: "Search", team: "discovery" }),
    });
    expect(other.statusCode).toBe(403);
  });

  it("a repeated sign-in sets the roles to what the groups give now; teams the mapping does not name are kept", async () => {
    expect((await signIn(stack, "bob@example.com")).statusCode).toBe(302);
    expect(await rolesOf(stack, "bob@example.com")).toEqual({
      isAdmin: false,
      teams: { payments: "viewer" },
    });
    const bob = await stack.db.user.findUniqueOrThrow({ where: { email: "bob@example.com" } });
    const growth = await stack.db.team.findUniqueOrThrow({ where: { slug: "growth" } });
    await stack.db.teamMember.create({ data: { teamId: growth.id, userId: bob.id, role: "editor" } });

    idp.accounts.get("bob@example.com")!.groups = [
      "payments-editors",
      "payments-viewers",
      "search-editors",
      "burnrate-admins",
    ];
    expect((await signIn(stack, "bob@example.com")).statusCode).toBe(302);
    expect(await rolesOf(stack, "bob@example.com")).toEqual({
      isAdmin: true,
      teams: { payments: "editor", discovery: "editor", growth: "editor" },
    });

    idp.accounts.get("bob@example.com")!.groups = ["payments-viewers"];
    expect((await signIn(stack, "bob@example.com")).statusCode).toBe(302);
    expect(await rolesOf(stack, "bob@example.com")).toEqual({
      isAdmin: false,
      teams: { payments: "viewer", growth: "editor" },
    });
    expect(await stack.db.user.count({ where: { email: "bob@example.com" } })).toBe(1);
    const audit = await stack.db.auditLog.findMany({ where: { action: "team.member_set_by_sso" } });
    expect(audit.length).toBeGreaterThanOrEqual(5);
  });

  it("a forged state is refused with a 400 page, and no session or user is created", async () => {
    const sessionsBefore = await stack.db.session.count();
    const { authorizationUrl, flow } = await start(stack);
    const answer = await signInAtProvider(authorizationUrl, "alice@example.com");
    const forged = new URL(answer);
    forged.searchParams.set("state", "forged-state-0123456789abcdef");
    const res = await callback(stack, forged, flow);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toContain("Sign-in refused");
    expect(res.body).toContain("state");
    expect(setCookies(res.headers).get("burnrate_session")).toBeUndefined();
    // The flow was used up by the forged answer: the genuine one is refused too (a retry starts again).
    const replay = await callback(stack, answer, flow);
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain("already used");
    expect(await stack.db.session.count()).toBe(sessionsBefore);
  });

  it("an answer without the browser's flow cookie, or replayed, is refused", async () => {
    const { authorizationUrl, flow } = await start(stack);
    const answer = await signInAtProvider(authorizationUrl, "alice@example.com");
    const noCookie = await callback(stack, answer, null);
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.body).toContain("cookie");
    const ok = await callback(stack, answer, flow);
    expect(ok.statusCode).toBe(302);
    const again = await callback(stack, answer, flow);
    expect(again.statusCode).toBe(400);
    expect(setCookies(again.headers).get("burnrate_session")).toBeUndefined();
  });

  it("an ID token with a wrong nonce is refused with a 400 page, and no session or user is created", async () => {
    const sessionsBefore = await stack.db.session.count();
    const { authorizationUrl, flow } = await start(stack);
    // The same request (state, PKCE challenge) with another nonce: the provider signs an ID token carrying it.
    const tampered = new URL(authorizationUrl);
    tampered.searchParams.set("nonce", "attacker-chosen-nonce-0123456789");
    const answer = await signInAtProvider(tampered.href, "alice@example.com");
    expect(answer.searchParams.get("code")).toBeTruthy();
    const res = await callback(stack, answer, flow);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/nonce/i);
    expect(setCookies(res.headers).get("burnrate_session")).toBeUndefined();
    expect(await stack.db.session.count()).toBe(sessionsBefore);
  });

  it("an unverified email, a refusal by the provider and an unconfigured provider are 4xx pages", async () => {
    const usersBefore = await stack.db.user.count();
    const unverified = await signIn(stack, "mallory@example.com");
    expect(unverified.statusCode).toBe(403);
    expect(unverified.body).toContain("not verified");
    expect(await stack.db.user.count()).toBe(usersBefore);

    const { authorizationUrl, flow } = await start(stack);
    const denied = await callback(
      stack,
      await signInAtProvider(authorizationUrl, "nobody@example.com"),
      flow,
    );
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain("access_denied");

    const hostile = await stack.app.inject({
      method: "GET",
      url: "/api/v1/auth/oidc/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    });
    expect(hostile.statusCode).toBe(403);
    expect(hostile.body).not.toContain("<script>");

    const plain = await startStack();
    try {
      const res = await plain.app.inject({ method: "GET", url: "/api/v1/auth/oidc/login" });
      expect(res.statusCode).toBe(404);
      const providers = await plain.app.inject({ method: "GET", url: "/api/v1/auth/providers" });
      expect(JSON.parse(providers.body)).toEqual({ password: true, oidc: null });
    } finally {
      await plain.stop();
    }
  });

  it("with passwords turned off, password sign-in is a 403 and single sign-on still works", async () => {
    const res = await passwordless.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify(passwordless.admin),
    });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).error.message).toContain("Local IdP");
    const providers = await passwordless.app.inject({ method: "GET", url: "/api/v1/auth/providers" });
    expect(JSON.parse(providers.body)).toMatchObject({ password: false });
    expect((await signIn(passwordless, "alice@example.com")).statusCode).toBe(302);
    expect(await rolesOf(passwordless, "alice@example.com")).toEqual({
      isAdmin: false,
      teams: { payments: "editor" },
    });
  });

  it("an org admin's group mapping replaces OIDC_GROUP_ROLES from the next sign-in; null goes back to it", async () => {
    const url = "/api/v1/settings/sso-groups";
    const first = await call(stack, "GET", url);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ source: "environment", updatedBy: null });
    expect((first.body as { groupRoles: unknown[] }).groupRoles).toEqual([
      { group: "payments-editors", role: "editor", team: "payments" },
      { group: "payments-viewers", role: "viewer", team: "payments" },
      { group: "search-editors", role: "editor", team: "discovery" },
      { group: "burnrate-admins", role: "admin", team: null },
    ]);

    // Bad lines: a 400 naming the field, and nothing saved.
    for (const [line, field] of [
      [{ group: "growth-editors", role: "editor" }, "groupRoles[0].team"],
      [{ group: "growth-editors", role: "viewer", team: "nope" }, "groupRoles[0].team"],
      [{ group: "burnrate-admins", role: "admin", team: "growth" }, "groupRoles[0].team"],
      [{ group: "has space", role: "viewer", team: "growth" }, "group"],
      [{ group: "growth-editors", role: "owner", team: "growth" }, "role"],
    ] as const) {
      const bad = await call(stack, "PUT", url, { groupRoles: [line] });
      expect(bad.status, JSON.stringify(line)).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(field);
    }
    expect(await stack.db.ssoSetting.count()).toBe(0);

    const saved = await call(stack, "PUT", url, {
      groupRoles: [
        { group: "growth-editors", role: "editor", team: "growth" },
        { group: "payments-editors", role: "viewer", team: "payments" },
      ],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      source: "setting",
      groupRoles: [{ team: "growth" }, { team: "payments" }],
    });
    expect((saved.body as { updatedBy: string | null }).updatedBy).toBeTruthy();

    // The saved mapping decides: payments-editors now gives viewer (the environment says editor).
    idp.accounts.get("bob@example.com")!.groups = ["payments-editors", "growth-editors"];
    expect((await signIn(stack, "bob@example.com")).statusCode).toBe(302);
    expect(await rolesOf(stack, "bob@example.com")).toEqual({
      isAdmin: false,
      teams: { payments: "viewer", growth: "editor" },
    });

    // Back to the environment's mapping: payments-editors gives editor again; growth is not named there, kept.
    const reset = await call(stack, "PUT", url, { groupRoles: null });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ source: "environment", updatedBy: null });
    expect((await signIn(stack, "bob@example.com")).statusCode).toBe(302);
    expect(await rolesOf(stack, "bob@example.com")).toEqual({
      isAdmin: false,
      teams: { payments: "editor", growth: "editor" },
    });
    const audit = await stack.db.auditLog.findMany({ where: { entity: "sso_setting" } });
    expect(audit).toHaveLength(2);
  });
});

describe("single sign-on configuration", () => {
  const base = { DATABASE_URL: "postgres://x/y", PUBLIC_URL: "https://burnrate.example.com" };

  it("derives the redirect URL from PUBLIC_URL and parses the group mapping", () => {
    const c = loadApiConfig({
      ...base,
      OIDC_ISSUER: "https://idp.example.com/realms/acme",
      OIDC_CLIENT_ID: "burnrate",
      OIDC_GROUP_ROLES: "payments-editors=payments:editor,ops=admin",
    });
    expect(c.oidc).toMatchObject({
      redirectUrl: "https://burnrate.example.com/api/v1/auth/oidc/callback",
      groupsClaim: "groups",
      groupRoles: [
        { group: "payments-editors", team: "payments", role: "editor" },
        { group: "ops", admin: true },
      ],
    });
    expect(loadApiConfig(base).oidc).toBeNull();
  });

  it.each([
    [
      { OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "b", OIDC_GROUP_ROLES: "payments-editors" },
      /OIDC_GROUP_ROLES/,
    ],
    [
      { OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "b", OIDC_GROUP_ROLES: "g=payments:owner" },
      /OIDC_GROUP_ROLES/,
    ],
    [{ OIDC_ISSUER: "http://idp.example.com", OIDC_CLIENT_ID: "b" }, /OIDC_ISSUER: must be an https URL/],
    [{ OIDC_ISSUER: "https://idp.example.com" }, /OIDC_CLIENT_ID/],
    [{ BURNRATE_PASSWORD_LOGIN: "false" }, /BURNRATE_PASSWORD_LOGIN/],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => loadApiConfig({ ...base, ...env })).toThrow(message);
  });

  it("maps groups: editor beats viewer, unnamed groups give nothing, admin only when a group maps to it", () => {
    const mapping = [
      { group: "a", team: "payments", role: "viewer" as const },
      { group: "b", team: "payments", role: "editor" as const },
      { group: "c", team: "growth", role: "viewer" as const },
    ];
    const m = mapGroups(["a", "b", "zzz"], mapping);
    expect(Object.fromEntries(m.teams)).toEqual({ payments: "editor" });
    expect([...m.managedTeams].sort()).toEqual(["growth", "payments"]);
    expect(m.admin).toBeNull();
    expect(mapGroups([], [...mapping, { group: "ops", admin: true }]).admin).toBe(false);
  });

  it.each([
    ["/slos?x=1", "/slos?x=1"],
    ["https://evil.example.com/", "/"],
    ["//evil.example.com/", "/"],
    ["/\\evil.example.com", "/"],
    ["/a\nb", "/"],
    [undefined, "/"],
  ])("lands after sign-in on %j → %j", (next, want) => {
    expect(safeReturnTo(next)).toBe(want);
  });
});

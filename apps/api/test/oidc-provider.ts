import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback, for the sign-on tests: one confidential client
 * (PKCE required), accounts with a `groups` claim the test may change between sign-ins, and a one-page
 * interaction: a sign-in form that asks only for the email, and consents to the scopes asked for.
 */
export interface LocalAccount {
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

export interface LocalProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, LocalAccount>;
  /** The authorization URLs the provider was asked for, in order. */
  authorizations: URL[];
  close(): Promise<void>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startLocalProvider(opts: {
  redirectUris: string[];
  accounts: LocalAccount[];
  port?: number;
}): Promise<LocalProvider> {
  const accounts = new Map(opts.accounts.map((a) => [a.email.toLowerCase(), a]));
  const authorizations: URL[] = [];
  const clientId = "burnrate";
  const clientSecret = "burnrate-test-client-secret";
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    scopes: ["openid", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // The scopes' claims go into the ID token too (as many providers do with groups).
    conformIdTokenClaims: false,
    cookies: { keys: ["local-provider-cookie-key-for-tests"] },
    ttl: {
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const a = accounts.get(id);
      if (!a) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: a.email,
          email_verified: a.emailVerified ?? true,
          name: a.name,
          groups: [...a.groups],
        }),
      };
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = "html";
      ctx.body = `<!doctype html><title>Provider error</title><pre>${escapeHtml(JSON.stringify(out))}</pre>`;
    },
  });
  provider.on("server_error", (_ctx, err) => console.error("local provider:", err));
  const callback = provider.callback();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", issuer);
      if (url.pathname === "/auth") authorizations.push(url);
      const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
      if (!m) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (!m[2]) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local provider · sign in</title></head>
<body><main><h1>Local identity provider</h1>
<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">
<label>Email <input name="email" type="email" required autofocus></label>
<button type="submit">Continue</button></form></main></body></html>`);
        return;
      }
      const form = await readForm(req);
      const id = (form.get("email") ?? "").toLowerCase();
      if (!accounts.has(id)) {
        await provider.interactionFinished(req, res, {
          error: "access_denied",
          error_description: "unknown account",
        });
        return;
      }
      const grant = new provider.Grant({ accountId: id, clientId: details.params.client_id! });
      grant.addOIDCScope(details.params.scope ?? "openid");
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: id }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    }
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Goes through the provider as a browser would, signing in as `email` on its form: follows its redirects
 * (keeping its cookies) from the authorization URL until one leaves the provider, and returns that URL: the
 * client's redirect URI with `code` and `state` (or `error`).
 */
export async function signInAtProvider(authorizationUrl: string, email: string): Promise<URL> {
  const jar = new Map<string, string>();
  const origin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let form: URLSearchParams | null = null;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    form = null;
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action)
      throw new Error(`the provider answered ${res.status}: ${html.slice(0, 500)}`);
    url = new URL(action, url).href;
    form = new URLSearchParams({ email });
  }
  throw new Error("the provider redirected too often");
}

import { z } from "zod";
import { TokenScope } from "./registry";

/** A signed-in user, as login answers it (the session itself travels in the cookie). */
export const LoginResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), isAdmin: z.boolean() }),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** How users may sign in: local passwords and/or the OpenID Connect provider. */
export const AuthProvidersResponse = z.object({
  password: z.boolean(),
  oidc: z.object({ name: z.string(), loginUrl: z.string() }).nullable(),
});
export type AuthProvidersResponse = z.infer<typeof AuthProvidersResponse>;

export const LogoutResponse = z.object({ ok: z.literal(true) });

/** Who is calling: a user with a session, or an API token with its scopes. */
export const MeResponse = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), id: z.string(), email: z.string(), isAdmin: z.boolean() }),
  z.object({ kind: z.literal("token"), id: z.string(), name: z.string(), scopes: z.array(TokenScope) }),
]);
export type MeResponse = z.infer<typeof MeResponse>;

/** What Burnrate answers Slack's signed callbacks with: a message for the user who acted. */
export const SlackAnswer = z.object({
  response_type: z.enum(["ephemeral", "in_channel"]).optional(),
  text: z.string(),
  blocks: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type SlackAnswer = z.infer<typeof SlackAnswer>;

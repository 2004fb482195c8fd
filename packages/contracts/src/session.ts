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

/** One line of the single sign-on group mapping: members of `group` get `role` in `team` (admin: no team). */
export const SsoGroupRole = z.object({
  group: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\s=,]+$/, "a group name has no spaces, '=' or ','"),
  role: z.enum(["admin", "editor", "viewer"]),
  team: z.string().trim().max(64).nullable().optional(),
});
export type SsoGroupRole = z.infer<typeof SsoGroupRole>;

export const SsoGroupRolesBody = z.object({
  groupRoles: z
    .array(SsoGroupRole)
    .max(200)
    .nullable()
    .describe("the mapping; null goes back to the environment's (OIDC_GROUP_ROLES)"),
});
export type SsoGroupRolesBody = z.infer<typeof SsoGroupRolesBody>;

export const SsoGroupRolesResponse = z.object({
  /** Which mapping sign-ins use: the organisation's setting, or the environment's default. */
  source: z.enum(["setting", "environment"]),
  groupRoles: z.array(SsoGroupRole),
  /** OIDC_GROUP_ROLES, what applies when no setting is saved. */
  environment: z.array(SsoGroupRole),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type SsoGroupRolesResponse = z.infer<typeof SsoGroupRolesResponse>;

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

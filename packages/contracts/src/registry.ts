import { z } from "zod";
import { SlackChannel, StatusSpec } from "./catalog";
import { Slug } from "./common";
import { ObjectivePercent, WindowSpec } from "./slo";

export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const PatchTeamBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  slackChannel: SlackChannel.nullable().optional(),
});
export const TeamRole = z.enum(["editor", "viewer"]);
export const PutMemberBody = z.strictObject({ email: z.string().email(), role: TeamRole });
export const MemberResponse = z.object({ email: z.string(), name: z.string(), role: TeamRole });

export const CreateUserBody = z.strictObject({
  email: z.string().email(),
  name: z.string().min(1).max(200),
  password: z.string().min(10, "password must have at least 10 characters").max(1000),
  isAdmin: z.boolean().default(false),
});
export const UserResponse = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  createdAt: z.string(),
});

export const PatchServiceBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  team: Slug.optional(),
  description: z.string().max(2000).nullable().optional(),
  runbookUrl: z.url().nullable().optional(),
  tier: z.number().int().min(1).max(5).nullable().optional(),
  failureStatuses: z.array(StatusSpec).min(1).optional(),
});

export const CreateEndpointBody = z.strictObject({
  endpoint: z.string().min(3).max(500).describe("'METHOD /route/{param}', e.g. 'GET /user/{id}'"),
});
export const EndpointResponse = z.object({
  id: z.string(),
  service: z.string(),
  method: z.string(),
  route: z.string(),
  createdAt: z.string(),
});

export const PatchRegionBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  production: z.boolean().optional(),
});
export const RegionResponse = z.object({ slug: z.string(), name: z.string(), production: z.boolean() });

export const TokenScope = z.enum(["read", "write", "ingest", "history:write", "admin"]);
export const CreateTokenBody = z.strictObject({
  name: z.string().min(1).max(200),
  scopes: z.array(TokenScope).min(1),
  team: Slug.optional().describe("bind the token to one team (write and ingest act on that team only)"),
});
export const TokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  team: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const CreatedTokenResponse = TokenResponse.extend({
  token: z.string().describe("shown once; only its hash is stored"),
});

export const AuditQuery = Pagination.extend({
  entity: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  team: Slug.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  team: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

const DefaultWindow = WindowSpec.default({ type: "rolling", days: 28 });
/** A service's default SLOs, one per SLI type (the book: availability 90%, latency 80% within 1000 ms). */
export const PutDefaultSlosBody = z.strictObject({
  availability: z
    .strictObject({ objectivePercent: ObjectivePercent, window: DefaultWindow })
    .nullable()
    .optional(),
  latency: z
    .strictObject({
      objectivePercent: ObjectivePercent,
      thresholdMs: z.number().int().positive().max(600_000),
      window: DefaultWindow,
    })
    .nullable()
    .optional(),
  reason: z.string().trim().min(3, "reason is required: say why the defaults change").max(2000),
});
export const DefaultSlosResponse = z.object({
  service: z.string(),
  availability: z.object({ objectivePercent: z.number(), window: WindowSpec }).nullable(),
  latency: z.object({ objectivePercent: z.number(), thresholdMs: z.number(), window: WindowSpec }).nullable(),
});
/** Why something is deleted; kept in the audit log. */
export const DeleteQuery = z.object({ reason: z.string().trim().min(3).max(2000).optional() });

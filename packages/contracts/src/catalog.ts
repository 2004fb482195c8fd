import { z } from "zod";
import { Slug } from "./common";

export const SlackChannel = z
  .string()
  .regex(
    /^#?[a-z0-9][a-z0-9._-]{0,79}$/,
    "must be a Slack channel name such as '#team-payments-slo-breaches'",
  );

export const CreateTeamBody = z.strictObject({
  slug: Slug,
  name: z.string().min(1).max(200),
  slackChannel: SlackChannel.optional(),
});
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;
export const TeamResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  slackChannel: z.string().nullable(),
  createdAt: z.string(),
});
export type TeamResponse = z.infer<typeof TeamResponse>;

/** A status code (e.g. 429) or an inclusive range "500-599". */
export const StatusSpec = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]\d\d(-[1-5]\d\d)?$/, "must be a status code or a range like '500-599'"),
]);
export const DEFAULT_FAILURE_STATUSES = "500-599";

export function expandStatuses(specs: (number | string)[]): number[] {
  const out = new Set<number>();
  for (const s of specs) {
    if (typeof s === "number") out.add(s);
    else {
      const [a, b] = s.split("-").map(Number);
      for (let c = a!; c <= (b ?? a!); c++) out.add(c);
    }
  }
  return [...out].sort((x, y) => x - y);
}
/** Inverse of expandStatuses: [500..599, 429] -> ["429", "500-599"]. */
export function compressStatuses(codes: number[]): string[] {
  const sorted = [...new Set(codes)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out;
}

export const CreateServiceBody = z.strictObject({
  slug: Slug,
  name: z.string().min(1).max(200),
  team: Slug.describe("slug of the owning team"),
  description: z.string().max(2000).optional(),
  runbookUrl: z.url().optional(),
  tier: z.number().int().min(1).max(5).optional(),
  failureStatuses: z.array(StatusSpec).min(1).optional(),
});
export type CreateServiceBody = z.infer<typeof CreateServiceBody>;

export const ServiceResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  team: z.string(),
  description: z.string().nullable(),
  runbookUrl: z.string().nullable(),
  tier: z.number().nullable(),
  failureStatuses: z.array(z.string()),
  endpoints: z.array(z.object({ id: z.string(), method: z.string(), route: z.string() })),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ServiceResponse = z.infer<typeof ServiceResponse>;

export const CreateDeploymentBody = z.strictObject({
  service: Slug,
  region: Slug.optional(),
  version: z.string().min(1).max(200),
  kind: z.enum(["deployment", "game_day", "maintenance", "comment"]).default("deployment"),
  note: z.string().max(2000).optional(),
  at: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]).optional(),
  /** Maintenance windows only: when the window ends (required for kind "maintenance"). */
  endsAt: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]).optional(),
  /** Maintenance windows only: leave the window's minutes out of the error budget. */
  excludeFromBudget: z.boolean().optional(),
});
export const DeploymentResponse = z.object({
  id: z.string(),
  service: z.string(),
  region: z.string().nullable(),
  version: z.string(),
  kind: z.string(),
  note: z.string().nullable(),
  at: z.string(),
  endsAt: z.string().nullable(),
  excludeFromBudget: z.boolean(),
  author: z.string().nullable(),
});
export type DeploymentResponse = z.infer<typeof DeploymentResponse>;

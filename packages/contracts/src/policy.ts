import { z } from "zod";
import { SlackChannel } from "./catalog";
import { Slug } from "./common";

export const Consequence = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("release_freeze"),
    /** Regions (deployment environments) frozen; empty = every region. */
    regions: z.array(Slug).default([]),
  }),
  z.strictObject({
    type: z.literal("notify"),
    channel: SlackChannel.optional().describe("default: the team's channel"),
  }),
  z.strictObject({
    type: z.literal("work_item"),
    text: z.string().min(1).max(2000),
    webhookUrl: z.url().optional(),
  }),
  z.strictObject({ type: z.literal("manual"), text: z.string().min(1).max(2000) }),
]);
export type Consequence = z.infer<typeof Consequence>;

const Percent = z.number().gt(0).max(100);
export const PolicyConditionSpec = z.discriminatedUnion("type", [
  z.strictObject({
    id: z.string().min(1).max(64),
    type: z.literal("exhausted"),
    consequences: z.array(Consequence).default([]),
  }),
  z.strictObject({
    id: z.string().min(1).max(64),
    type: z.literal("consumed"),
    percent: Percent,
    consequences: z.array(Consequence).default([]),
  }),
  z.strictObject({
    id: z.string().min(1).max(64),
    type: z.literal("burned_within"),
    percent: Percent,
    hours: z
      .number()
      .positive()
      .max(24 * 90),
    consequences: z.array(Consequence).default([]),
  }),
  z.strictObject({
    id: z.string().min(1).max(64),
    type: z.literal("manual"),
    text: z.string().min(1).max(2000),
    consequences: z.array(Consequence).default([]),
  }),
]);
export type PolicyConditionSpec = z.infer<typeof PolicyConditionSpec>;

export const POLICY_ROLES = ["developer", "operations", "product_owner"] as const;
export const Signature = z.strictObject({
  name: z.string().min(1).max(200),
  role: z.enum(POLICY_ROLES),
  date: z.iso.date(),
});

export const PutPolicyBody = z
  .strictObject({
    scope: z.string().min(1).max(4000),
    purpose: z.string().min(1).max(4000),
    conditions: z.array(PolicyConditionSpec).min(1).max(20),
    escalation: z.string().min(1).max(4000),
    agreedBy: z.array(Signature).max(20).default([]),
    nextReviewAt: z.iso.date().optional(),
    silverBulletsPerYear: z.number().int().min(0).max(100).default(3),
    reason: z.string().trim().min(3, "reason is required: say why the policy changes").max(2000),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.conditions.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({
          code: "custom",
          path: ["conditions", i, "id"],
          message: `duplicate condition id '${c.id}'`,
        });
      seen.add(c.id);
    });
  });
export type PutPolicyBody = z.infer<typeof PutPolicyBody>;

/** Conditions to try against the team's SLOs as they stand now, before the policy is saved. */
export const PolicyDryRunBody = z.strictObject({
  conditions: z.array(PolicyConditionSpec).min(1).max(20),
});
export type PolicyDryRunBody = z.infer<typeof PolicyDryRunBody>;
export const PolicyDryRunResponse = z.object({
  at: z.string(),
  /** Every SLO × region of the team with data this period, and each automatic condition's result for it. */
  rows: z.array(
    z.object({
      sloId: z.string(),
      slo: z.string(),
      service: z.string(),
      region: z.string(),
      remainingFraction: z.number(),
      results: z.array(
        z.object({
          conditionId: z.string(),
          met: z.boolean(),
          /** remaining (exhausted), % consumed (consumed) or % burned within the hours (burned_within) */
          value: z.number().nullable(),
        }),
      ),
    }),
  ),
});
export type PolicyDryRunResponse = z.infer<typeof PolicyDryRunResponse>;

export const PolicyResponse = z.object({
  team: z.string(),
  version: z.number(),
  scope: z.string(),
  purpose: z.string(),
  conditions: z.array(PolicyConditionSpec),
  escalation: z.string(),
  agreedBy: z.array(Signature),
  nextReviewAt: z.string().nullable(),
  silverBulletsPerYear: z.number(),
  inForce: z.boolean(),
  missingSignatures: z.array(z.enum(POLICY_ROLES)),
  updatedAt: z.string(),
});
export type PolicyResponse = z.infer<typeof PolicyResponse>;

/** What an enactment records about the SLO × region when its condition became true (none when manual). */
export const EnactmentDetail = z.object({
  remaining: z.number(),
  consumedPercent: z.number(),
  burnedPercent: z.number().nullable(),
  period: z.object({ start: z.string(), end: z.string() }),
});
/** A consequence once carried out (until then the enactment lists the condition's consequences as written). */
export const ConsequenceOutcome = z.object({
  type: z.string(),
  status: z.string(),
  detail: z.string().optional(),
});
export const EnactmentResponse = z.object({
  id: z.string(),
  conditionId: z.string(),
  conditionType: z.string(),
  slo: z.object({ id: z.string(), name: z.string(), service: z.string() }).nullable(),
  region: z.string().nullable(),
  manual: z.boolean(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  openedBy: z.string().nullable(),
  closedBy: z.string().nullable(),
  reason: z.string().nullable(),
  detail: EnactmentDetail.nullable(),
  consequences: z.array(z.union([ConsequenceOutcome, Consequence])).nullable(),
});
export type EnactmentResponse = z.infer<typeof EnactmentResponse>;
export const EnactmentsQuery = z.object({
  open: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const ManualEnactBody = z.strictObject({
  conditionId: z.string().min(1),
  reason: z.string().trim().min(3).max(2000),
});
export const CloseEnactmentBody = z.strictObject({ reason: z.string().trim().min(3).max(2000) });

export const ReleaseGateQuery = z.object({ service: Slug, region: Slug });
export const ReleaseGateResponse = z.object({
  allowed: z.boolean(),
  reasons: z.array(z.string()),
  silverBulletsLeft: z.number(),
});
export const CreateOverrideBody = z.strictObject({
  service: Slug,
  region: Slug,
  reason: z.string().trim().min(3).max(2000),
});
export const OverrideResponse = z.object({
  id: z.string(),
  service: z.string(),
  region: z.string(),
  reason: z.string(),
  author: z.string(),
  createdAt: z.string(),
  usedAt: z.string().nullable(),
  silverBulletsLeft: z.number(),
});

export const PRIORITY_LEVELS = ["P1", "P2", "P3", "P4", "P5"] as const;
export const PutPrioritiesBody = z.strictObject({
  priorities: z
    .array(z.strictObject({ level: z.enum(PRIORITY_LEVELS), criteria: z.string().min(1).max(2000) }))
    .min(1)
    .max(5),
});
export const PrioritiesResponse = z.array(z.object({ level: z.string(), criteria: z.string() }));

/** One saved version of a team's policy: who changed it, why, and the policy as it then was. */
export const PolicyVersionResponse = z.object({
  version: z.number(),
  author: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  // Versions saved before a field existed lack it.
  snapshot: PolicyResponse.partial(),
});
export type PolicyVersionResponse = z.infer<typeof PolicyVersionResponse>;

import { z } from "zod";
import { Slug } from "./common";
import { OncallPosition, TimeZone, WeeklyWindowBody } from "./oncall";

const Email = z.email("must be an email address").max(320);
/** A day: longer acknowledgement timeouts are a schedule's business, not a page's. */
const MAX_ACK_TIMEOUT_SECONDS = 86_400;

/**
 * Whom a step notifies:
 * - `{schedule, position}`: who holds that position of that schedule when the step is due;
 * - `{routed: position}`: who holds it on the schedule routing picks for the alert's service and region when
 *   the step is due (the team's in its hours, else the region's: book Table 7.9);
 * - `{user: email}`: one person;
 * - `{team: slug}`: every member of a team;
 * - `{group: id}`: every member of a user group (`/api/v1/user-groups`) when the step is due.
 */
export const EscalationTarget = z.union([
  z.strictObject({ schedule: z.string().uuid("must be a schedule id"), position: OncallPosition }),
  z.strictObject({ routed: OncallPosition }),
  z.strictObject({ user: Email }),
  z.strictObject({ team: Slug }),
  z.strictObject({ group: z.string().uuid("must be a user group id") }),
]);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const EscalationStepBody = z.strictObject({
  target: EscalationTarget,
  ackTimeoutSeconds: z.number().int().min(1).max(MAX_ACK_TIMEOUT_SECONDS),
});
export type EscalationStepBody = z.infer<typeof EscalationStepBody>;

/** What a ticket does: notify the first step only (default), escalate like a page, or nothing. */
export const TicketMode = z.enum(["notify", "escalate", "none"]);
export type TicketMode = z.infer<typeof TicketMode>;

const PolicyFields = {
  name: z.string().trim().min(1).max(200),
  /** Passes after the first: "repeat 3" = four passes in all. */
  repeat: z.number().int().min(0).max(10).default(0),
  ticket: TicketMode.default("notify"),
  steps: z.array(EscalationStepBody).min(1).max(20),
};

export const CreateEscalationPolicyBody = z.strictObject({
  ...PolicyFields,
  team: Slug.describe("the team that owns the policy"),
  /** Make it the team's policy (every SLO of the team without its own). */
  teamDefault: z.boolean().default(false),
});
export type CreateEscalationPolicyBody = z.infer<typeof CreateEscalationPolicyBody>;

export const PatchEscalationPolicyBody = z
  .strictObject({
    name: PolicyFields.name.optional(),
    repeat: z.number().int().min(0).max(10).optional(),
    ticket: TicketMode.optional(),
    steps: PolicyFields.steps.optional(),
    teamDefault: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    if (Object.keys(b).length === 0)
      ctx.addIssue({ code: "custom", path: ["name"], message: "give at least one field to change" });
  });
export type PatchEscalationPolicyBody = z.infer<typeof PatchEscalationPolicyBody>;

export const EscalationStepResponse = z.object({
  target: EscalationTarget,
  /** A human label of the target: a person's name, a team's name, "Main of <schedule>". */
  label: z.string(),
  ackTimeoutSeconds: z.number(),
});
export const EscalationPolicyResponse = z.object({
  id: z.string(),
  name: z.string(),
  team: z.string(),
  repeat: z.number(),
  ticket: TicketMode,
  teamDefault: z.boolean(),
  steps: z.array(EscalationStepResponse),
  /** The SLOs that name this policy as their own. */
  slos: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EscalationPolicyResponse = z.infer<typeof EscalationPolicyResponse>;
export const ListEscalationPoliciesQuery = z.object({ team: Slug.optional() });

/** An SLO's own policy (null = the team's). */
export const PutSloEscalationPolicyBody = z.strictObject({ policyId: z.string().uuid().nullable() });

/** An alert's escalation, as `GET /api/v1/alerts/:id` shows it. */
export const AlertEscalationResponse = z.object({
  policyId: z.string().nullable(),
  pass: z.number(),
  step: z.number(),
  nextAt: z.string().nullable(),
  stopReason: z.string().nullable(),
  notified: z.array(
    z.object({
      target: z.string(),
      at: z.string().nullable(),
      channel: z.string(),
      status: z.string(),
      pass: z.number(),
      step: z.number(),
      error: z.string().nullable(),
    }),
  ),
});
export type AlertEscalationResponse = z.infer<typeof AlertEscalationResponse>;

export const NOTIFICATION_CHANNELS = ["slack_dm", "email"] as const;
export const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannel>;
export const Severity = z.enum(["page", "ticket"]);
/** When a rule applies: weekly windows in a time zone (email 09:00–18:00 Mon–Fri in Europe/Berlin, say). */
export const RuleHours = z.strictObject({
  windows: z.array(WeeklyWindowBody).min(1).max(14),
  timeZone: TimeZone,
});
export type RuleHours = z.infer<typeof RuleHours>;
/** A person's rules: which channels reach them, for which severities. None = Slack DM and email for both. */
export const PutNotificationRulesBody = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        channel: NotificationChannel,
        severities: z.array(Severity).min(1).max(2),
        hours: RuleHours.optional().describe("when the rule applies; none = always"),
      }),
    )
    .max(NOTIFICATION_CHANNELS.length)
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((r, i) => {
        if (seen.has(r.channel))
          ctx.addIssue({ code: "custom", path: [i, "channel"], message: `'${r.channel}' is given twice` });
        seen.add(r.channel);
      });
    }),
});
export type PutNotificationRulesBody = z.infer<typeof PutNotificationRulesBody>;
export const NotificationRulesResponse = z.object({
  rules: z.array(
    z.object({
      channel: NotificationChannel,
      severities: z.array(Severity),
      hours: z
        .object({
          windows: z.array(z.object({ days: z.array(z.string()), from: z.string(), to: z.string() })),
          timeZone: z.string(),
        })
        .nullable()
        .describe("null = always"),
    }),
  ),
  /** True when the person set no rules: then every channel is used for every severity. */
  defaults: z.boolean(),
});
export type NotificationRulesResponse = z.infer<typeof NotificationRulesResponse>;

/** The worker's job: send an alert's escalation notice (pass, step) due at `atMs`. */
export const EscalateAlertJob = z.object({
  alertId: z.string(),
  pass: z.number().int().min(0),
  step: z.number().int().min(0),
  atMs: z.number(),
});
export type EscalateAlertJob = z.infer<typeof EscalateAlertJob>;

/** A named set of people an escalation step can page: a team's own, or org-wide (no team). */
const GroupFields = {
  name: z.string().trim().min(1).max(200),
  members: z
    .array(Email)
    .max(200)
    .refine((m) => new Set(m.map((e) => e.toLowerCase())).size === m.length, {
      message: "lists a person twice",
    })
    .describe("emails of the group's people"),
};
export const CreateUserGroupBody = z.strictObject({
  ...GroupFields,
  team: Slug.optional().describe("the team that owns the group; none = org-wide (org admins only)"),
});
export type CreateUserGroupBody = z.infer<typeof CreateUserGroupBody>;
export const PatchUserGroupBody = z
  .strictObject({ name: GroupFields.name.optional(), members: GroupFields.members.optional() })
  .superRefine((b, ctx) => {
    if (Object.keys(b).length === 0)
      ctx.addIssue({ code: "custom", path: ["name"], message: "give at least one field to change" });
  });
export type PatchUserGroupBody = z.infer<typeof PatchUserGroupBody>;
export const UserGroupResponse = z.object({
  id: z.string(),
  name: z.string(),
  team: z.string().nullable().describe("null = org-wide"),
  members: z.array(z.object({ email: z.string(), name: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserGroupResponse = z.infer<typeof UserGroupResponse>;
export const ListUserGroupsQuery = z.object({
  team: Slug.optional().describe("the team's groups and the org-wide ones"),
});

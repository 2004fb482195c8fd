import { INCIDENT_STATES } from "@burnrate/slo-core";
import { z } from "zod";
import { CsvFormat, Instant, Slug } from "./common";

export const IncidentState = z.enum(INCIDENT_STATES);
/** The org's priorities (book Tbl 9.2): what must be done. */
export const IncidentPriorityLevel = z.enum(["P1", "P2", "P3", "P4", "P5"]);
/** The org's severity scale (book Tbl 9.13): how the organisation handles it. */
export const IncidentSeverity = z.enum(["critical", "error", "warning"]);
/** The roles of an incident (book Tbl 9.15), each a person named by email. */
export const IncidentRoles = z.strictObject({
  commander: z.email().max(254).nullable().optional().describe("incident commander (coordinator)"),
  communicationsLead: z.email().max(254).nullable().optional().describe("tells stakeholders"),
  opsLead: z.email().max(254).nullable().optional().describe("leads the technical work"),
});
const Title = z.string().trim().min(3, "title is required: say what is broken").max(200);
const Message = z.string().trim().min(1, "message is required").max(5000);

export const CreateIncidentBody = z.strictObject({
  title: Title,
  alertIds: z.array(z.uuid()).max(50).optional().describe("alerts the incident is opened from"),
  services: z.array(Slug).max(50).optional().describe("affected service slugs"),
  regions: z.array(z.string().min(1).max(64)).max(50).optional().describe("affected region slugs"),
  products: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  priority: IncidentPriorityLevel.optional().describe("default: the highest priority of the linked alerts"),
  severity: IncidentSeverity.optional(),
  roles: IncidentRoles.optional(),
  startedAt: Instant.optional().describe("when the impact began; default: the first alert, or now"),
  message: Message.optional().describe("the first update"),
  public: z.boolean().optional().describe("the first update shows on status pages"),
  at: Instant.optional().describe(
    "when the incident was opened, to record it afterwards: not later than now, not before startedAt; default now",
  ),
});
export type CreateIncidentBody = z.infer<typeof CreateIncidentBody>;

export const IncidentUpdateBody = z.strictObject({
  state: IncidentState.optional(),
  message: Message,
  public: z.boolean().default(false).describe("shown on the status pages of the affected services"),
  priority: IncidentPriorityLevel.optional().describe("a priority change (book Fig 9.5), recorded"),
  severity: IncidentSeverity.optional(),
  roles: IncidentRoles.optional(),
  at: Instant.optional().describe(
    "when it happened, to record an earlier moment: not later than now, not before the incident's start (and, with a state, not before its last state change); default now",
  ),
});
export type IncidentUpdateBody = z.infer<typeof IncidentUpdateBody>;

export const ListIncidentsQuery = z.object({
  state: z
    .enum([...INCIDENT_STATES, "open"])
    .optional()
    .describe("'open' = not resolved"),
  team: Slug.optional().describe("slug of a team whose services or alerts the incident touches"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  format: CsvFormat,
});
export type ListIncidentsQuery = z.infer<typeof ListIncidentsQuery>;

export const IncidentTimelineEntry = z.object({
  kind: z.string().describe("opened, update, state, priority, severity, roles, alert_fired, acknowledged, …"),
  at: z.string(),
  state: IncidentState.nullable(),
  message: z.string().nullable(),
  public: z.boolean(),
  author: z.string().nullable(),
  detail: z.unknown().optional(),
});
export type IncidentTimelineEntry = z.infer<typeof IncidentTimelineEntry>;

export const IncidentResponse = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  state: IncidentState,
  priority: IncidentPriorityLevel.nullable(),
  severity: IncidentSeverity.nullable(),
  teams: z.array(z.string()),
  services: z.array(z.string()),
  regions: z.array(z.string()),
  products: z.array(z.string()),
  roles: z.object({
    commander: z.string().nullable(),
    communicationsLead: z.string().nullable(),
    opsLead: z.string().nullable(),
  }),
  alertIds: z.array(z.string()),
  startedAt: z.string(),
  detectedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  ttdMinutes: z.number(),
  ttaMinutes: z.number().nullable(),
  ttrMinutes: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  channel: z
    .object({
      name: z.string(),
      id: z.string().nullable().describe("Slack's channel id, once created"),
      url: z.string().nullable(),
      invited: z.array(z.string()).describe("emails invited to the channel"),
      error: z.string().nullable().describe("the last Slack error while setting the channel up"),
    })
    .nullable()
    .describe("the incident's own Slack channel, when its severity gets one"),
  timeline: z.array(IncidentTimelineEntry).optional(),
});
export type IncidentResponse = z.infer<typeof IncidentResponse>;

/** A component of a status page: a service, optionally in one region, under a public name. */
export const StatusComponentInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  service: Slug,
  region: z.string().min(1).max(64).optional(),
});
export const CreateStatusPageBody = z.strictObject({
  slug: Slug,
  name: z.string().trim().min(1).max(100),
  components: z.array(StatusComponentInput).min(1, "a status page needs at least one component").max(100),
});
export type CreateStatusPageBody = z.infer<typeof CreateStatusPageBody>;
export const StatusPageResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  url: z.string().describe("the public page"),
  components: z.array(z.object({ name: z.string(), service: z.string(), region: z.string().nullable() })),
  createdAt: z.string(),
});
export type StatusPageResponse = z.infer<typeof StatusPageResponse>;

/** What a component shows: operational, degraded (budget spent, a page firing, a minor incident) or outage. */
export const ComponentStatus = z.enum(["operational", "degraded", "major_outage"]);
export type ComponentStatus = z.infer<typeof ComponentStatus>;
/** The public JSON of a status page: component names, states, uptime and public updates, nothing internal. */
export const PublicStatusResponse = z.object({
  page: z.object({ slug: z.string(), name: z.string(), url: z.string(), updatedAt: z.string() }),
  status: ComponentStatus.describe("the worst component"),
  components: z.array(
    z.object({
      name: z.string(),
      status: ComponentStatus,
      uptime90dPercent: z.number().nullable().describe("null: no traffic in 90 days"),
      days: z.array(z.object({ date: z.string(), uptimePercent: z.number().nullable() })),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      state: IncidentState,
      impact: ComponentStatus,
      components: z.array(z.string()),
      startedAt: z.string(),
      resolvedAt: z.string().nullable(),
      updates: z.array(z.object({ at: z.string(), state: IncidentState.nullable(), message: z.string() })),
    }),
  ),
});
export type PublicStatusResponse = z.infer<typeof PublicStatusResponse>;

/** A stakeholder ring (book §8.5): its groups, recipients, escalation rule and the departments that agreed. */
const RingNumber = z.number().int().min(1).max(20).describe("the order in which rings are told");
const RingName = z.string().trim().min(1).max(100);
const RingGroups = z.array(z.string().trim().min(1).max(100)).max(50);
const RingSlackChannels = z
  .array(z.string().regex(/^[#]?[a-z0-9._-]{1,80}$/, "must be a Slack channel name"))
  .max(20);
const RingEmails = z.array(z.email().max(254)).max(200);
const RingEscalateAfter = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60)
  .nullable()
  .describe("told automatically when an incident is not resolved within this many minutes");
const RingAgreedBy = z.array(z.string().trim().min(1).max(100)).max(20).describe("departments");
export const CreateStakeholderRingBody = z.strictObject({
  number: RingNumber,
  name: RingName,
  groups: RingGroups.default([]),
  slackChannels: RingSlackChannels.default([]),
  emails: RingEmails.default([]),
  escalateAfterMinutes: RingEscalateAfter.default(null),
  agreedBy: RingAgreedBy.default([]),
});
export type CreateStakeholderRingBody = z.infer<typeof CreateStakeholderRingBody>;
/** A ring's edit: only the fields given change. */
export const PatchStakeholderRingBody = z.strictObject({
  number: RingNumber.optional(),
  name: RingName.optional(),
  groups: RingGroups.optional(),
  slackChannels: RingSlackChannels.optional(),
  emails: RingEmails.optional(),
  escalateAfterMinutes: RingEscalateAfter.optional(),
  agreedBy: RingAgreedBy.optional(),
});
export type PatchStakeholderRingBody = z.infer<typeof PatchStakeholderRingBody>;
export const StakeholderRingResponse = z.object({
  id: z.string(),
  number: z.number().int(),
  name: z.string(),
  groups: z.array(z.string()),
  slackChannels: z.array(z.string()),
  emails: z.array(z.string()),
  escalateAfterMinutes: z.number().int().nullable(),
  agreedBy: z.array(z.string()),
});
export type StakeholderRingResponse = z.infer<typeof StakeholderRingResponse>;

/** Rows and columns of the targeting matrix (book Tbl 8.4); "worldwide" and "all" cover every one. */
const MatrixLabels = z.array(z.string().trim().min(1).max(100)).min(1).max(50);
/** A stakeholder group of a ring: its cells of the targeting matrix and its subscribers. */
export const CreateStakeholderGroupBody = z.strictObject({
  ring: z.number().int().min(1).max(20).describe("the number of the ring the group belongs to"),
  name: z.string().trim().min(1).max(100),
  geographies: MatrixLabels.default(["worldwide"]).describe(
    "geographies or environments (rows of the matrix); worldwide = all",
  ),
  products: MatrixLabels.default(["all"]).describe("products (columns of the matrix); all = every product"),
  emails: RingEmails.default([]),
  slackChannels: RingSlackChannels.default([]),
  users: z
    .array(z.email().max(254))
    .max(200)
    .default([])
    .describe("Burnrate users by email: told by email, and by Slack direct message when Slack is connected"),
});
export type CreateStakeholderGroupBody = z.infer<typeof CreateStakeholderGroupBody>;
/** A group's edit: only the fields given change. */
export const PatchStakeholderGroupBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  geographies: MatrixLabels.optional(),
  products: MatrixLabels.optional(),
  emails: RingEmails.optional(),
  slackChannels: RingSlackChannels.optional(),
  users: z.array(z.email().max(254)).max(200).optional(),
});
export type PatchStakeholderGroupBody = z.infer<typeof PatchStakeholderGroupBody>;
const RecipientUser = z.object({ id: z.string(), name: z.string(), email: z.string() });
export const StakeholderGroupResponse = z.object({
  id: z.string(),
  ring: z.object({ number: z.number().int(), name: z.string() }),
  name: z.string(),
  geographies: z.array(z.string()),
  products: z.array(z.string()),
  emails: z.array(z.string()),
  slackChannels: z.array(z.string()),
  users: z.array(RecipientUser),
});
export type StakeholderGroupResponse = z.infer<typeof StakeholderGroupResponse>;

export const BracketKind = z.enum(["first", "update", "last"]);
/** One message of the bracket (book Tbl 8.6/8.7) to one ring. */
export const SendStakeholderNotificationBody = z.strictObject({
  ring: z.number().int().min(1).max(20).describe("the ring's number"),
  kind: BracketKind,
  geography: z.string().trim().min(1).max(100).default("worldwide"),
  products: z.array(z.string().trim().min(1).max(100)).min(1).max(50).default(["all"]),
  message: z.string().trim().min(1, "message is required").max(5000),
  nextUpdateInMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional()
    .describe("when the next update comes; every message before the last gives it"),
});
export type SendStakeholderNotificationBody = z.infer<typeof SendStakeholderNotificationBody>;
export const StakeholderNotificationResponse = z.object({
  id: z.string(),
  incidentId: z.string(),
  ring: z.object({ number: z.number().int(), name: z.string() }),
  recipients: z
    .object({
      groups: z.array(z.string()),
      slackChannels: z.array(z.string()),
      emails: z.array(z.string()),
      users: z.array(RecipientUser),
    })
    .describe(
      "who the message reached: the ring's own lists and the groups whose targeting cells cover its geography and products",
    ),
  kind: BracketKind,
  geography: z.string(),
  products: z.array(z.string()),
  message: z.string(),
  sentAt: z.string(),
  nextUpdateDueAt: z.string().nullable(),
  ttrMinutes: z.number().nullable().describe("the last message gives the time to recovery"),
  trigger: z.enum(["manual", "rule"]),
  author: z.string(),
});
export type StakeholderNotificationResponse = z.infer<typeof StakeholderNotificationResponse>;

/** Severities an incident channel is opened for; `unset` = an incident whose severity is not set yet. */
export const ChannelSeverity = z.enum(["critical", "error", "warning", "unset"]);
export type ChannelSeverity = z.infer<typeof ChannelSeverity>;
export const IncidentChannelSettingBody = z.strictObject({
  severities: z
    .array(ChannelSeverity)
    .max(4)
    .describe("incidents of these severities get their own Slack channel; [] = none"),
});
export type IncidentChannelSettingBody = z.infer<typeof IncidentChannelSettingBody>;
export const TeamIncidentChannelSettingBody = z.strictObject({
  severities: z
    .array(ChannelSeverity)
    .max(4)
    .nullable()
    .describe("the team's own choice; null = follow the organisation's"),
});
export type TeamIncidentChannelSettingBody = z.infer<typeof TeamIncidentChannelSettingBody>;
export const IncidentChannelSettingsResponse = z.object({
  org: z.object({ severities: z.array(ChannelSeverity) }),
  teams: z.array(z.object({ team: z.string(), severities: z.array(ChannelSeverity) })),
});
export type IncidentChannelSettingsResponse = z.infer<typeof IncidentChannelSettingsResponse>;

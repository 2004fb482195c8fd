import { z } from "zod";
import { IncidentPriorityLevel, IncidentSeverity } from "./incidents";

/** draft → in_review → published; a review may send it back to draft. */
export const POSTMORTEM_STATUSES = ["draft", "in_review", "published"] as const;
export const PostmortemStatus = z.enum(POSTMORTEM_STATUSES);
export type PostmortemStatus = z.infer<typeof PostmortemStatus>;

/** Action item states (book Tbl 9.23): new → ready → in work → implemented → done (reviewed). */
export const ACTION_ITEM_STATES = ["new", "ready", "in_work", "implemented", "done"] as const;
export const ActionItemState = z.enum(ACTION_ITEM_STATES);
export type ActionItemState = z.infer<typeof ActionItemState>;
export const ActionItemPriority = z.enum(["P1", "P2", "P3", "P4"]);

/** Priorities whose incidents get a postmortem the moment they are resolved (book §9.5.1: only P1 in the sample). */
export const POSTMORTEM_REQUIRED_PRIORITIES: readonly string[] = ["P1"];
/** Days after resolution a postmortem is due until the organisation sets its own (the meeting within 24–72 h, book Tbl 9.21). */
export const POSTMORTEM_DUE_DAYS = 3;

/**
 * The organisation's choice of the priorities that require a postmortem (POSTMORTEM_REQUIRED_PRIORITIES until
 * set) and of the days after resolution a postmortem is due (POSTMORTEM_DUE_DAYS until set; a change applies to
 * postmortems created from then on).
 */
export const PostmortemSettings = z.strictObject({
  requiredPriorities: z
    .array(IncidentPriorityLevel)
    .max(5)
    .refine((v) => new Set(v).size === v.length, "must not repeat a priority")
    .describe("incident priorities whose resolution creates a postmortem; [] = none by rule"),
  dueDays: z
    .number()
    .int("dueDays must be a whole number of days")
    .min(1)
    .max(60)
    .optional()
    .describe("days after resolution a postmortem is due; absent in a change: unchanged"),
});
export type PostmortemSettings = z.infer<typeof PostmortemSettings>;
export const PostmortemSettingsResponse = PostmortemSettings.required();
export type PostmortemSettingsResponse = z.infer<typeof PostmortemSettingsResponse>;

/** The statuses a postmortem may move to from each status. */
export function postmortemTransitionAllowed(from: PostmortemStatus, to: PostmortemStatus): boolean {
  if (from === to) return true;
  if (from === "draft") return to === "in_review";
  if (from === "in_review") return to === "draft" || to === "published";
  return to === "in_review"; // reopened for a correction
}

const BLAME_PATTERNS: { re: RegExp; hint: string }[] = [
  {
    re: /\bhuman error\b/i,
    hint: "'human error' ends the inquiry; ask what made the action look right at the time",
  },
  { re: /\bblame[sd]?\b/i, hint: "describe what happened, not who is to blame" },
  {
    re: /\b(?:his|her|their) fault\b|\bfault of\b/i,
    hint: "fault points at a person; describe the system and its conditions",
  },
  { re: /\bshould have\b/i, hint: "'should have' judges with hindsight; say what was known at the time" },
  {
    re: /\b(?:careless|negligent|incompetent|stupid|lazy|sloppy)\b/i,
    hint: "judging words put people on the defensive",
  },
  {
    re: /\b(?:failed|forgot) to\b/i,
    hint: "'failed/forgot to' names a person's lapse; ask what would have made it hard to miss",
  },
];

/**
 * Blameless wording hints (book §9.5: a postmortem looks at systems and conditions, not at people): the phrases in
 * `text` that tend to assign blame, each with a suggestion. Hints, never a refusal.
 */
export function blamelessHints(text: string): { phrase: string; hint: string }[] {
  const out: { phrase: string; hint: string }[] = [];
  for (const p of BLAME_PATTERNS) {
    const m = p.re.exec(text);
    if (m) out.push({ phrase: m[0], hint: p.hint });
  }
  return out;
}

const Section = z.string().max(20_000);

export const PostmortemTimelineEntry = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  kind: z.string().trim().min(1).max(40),
  text: z.string().max(2000),
  author: z.string().max(254).nullable().default(null),
});
export type PostmortemTimelineEntry = z.infer<typeof PostmortemTimelineEntry>;

export const PatchPostmortemBody = z.strictObject({
  title: z.string().trim().min(3, "title is required").max(200).optional(),
  status: PostmortemStatus.optional(),
  summary: Section.optional(),
  customerImpact: Section.optional().describe("the impact in words; the budget figures are computed"),
  trigger: Section.optional(),
  rootCauses: Section.optional(),
  resolution: Section.optional(),
  detection: Section.optional(),
  wentWell: Section.optional(),
  wentBadly: Section.optional(),
  gotLucky: Section.optional(),
  timeline: z.array(PostmortemTimelineEntry).max(1000).optional().describe("replaces the timeline"),
  expectedUpdatedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("the updatedAt you edited; a newer one means someone else saved first (409)"),
});
export type PatchPostmortemBody = z.infer<typeof PatchPostmortemBody>;

/** An https link, or a path inside Burnrate (an SLO or policy it changes, e.g. /slos/…). */
/** An app path (/slos/…), or an http(s) URL with a host; never javascript:, data: or a protocol-relative //host. */
function isLink(v: string): boolean {
  return (
    /^\/(?!\/)[A-Za-z0-9/_\-.?=&%#~]*$/.test(v) ||
    /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s]*)?$/i.test(v)
  );
}
export const ActionItemLink = z
  .string()
  .trim()
  .max(500)
  .refine(isLink, "must be an http(s) URL or a path starting with /");
const DueDate = z.iso.date("must be a date (YYYY-MM-DD)");

export const CreateActionItemBody = z.strictObject({
  title: z.string().trim().min(3, "title is required").max(300),
  owner: z.email().max(254).describe("the driver: a participant of the postmortem"),
  dueDate: DueDate,
  priority: ActionItemPriority.default("P2"),
  state: ActionItemState.default("new"),
  link: ActionItemLink.nullable().optional(),
});
export type CreateActionItemBody = z.infer<typeof CreateActionItemBody>;

export const PatchActionItemBody = z.strictObject({
  title: z.string().trim().min(3, "title is required").max(300).optional(),
  owner: z.email().max(254).optional(),
  dueDate: DueDate.optional(),
  priority: ActionItemPriority.optional(),
  state: ActionItemState.optional(),
  link: ActionItemLink.nullable().optional(),
});
export type PatchActionItemBody = z.infer<typeof PatchActionItemBody>;

export const ActionItemResponse = z.object({
  id: z.string(),
  title: z.string(),
  owner: z.string(),
  dueDate: z.string(),
  priority: ActionItemPriority,
  state: ActionItemState,
  link: z.string().nullable(),
  overdue: z.boolean().describe("due date passed (UTC) and not done"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActionItemResponse = z.infer<typeof ActionItemResponse>;

/** Budget consumed during the incident for one SLO × region, read from the status of the SLO at both ends. */
export const PostmortemImpactRow = z.object({
  sloId: z.string(),
  slo: z.string(),
  service: z.string(),
  region: z.string().nullable().describe("null: all regions"),
  unit: z.enum(["requests", "minutes"]),
  from: z.string().describe("the start of the incident's first minute"),
  to: z.string().describe("the end of its last minute (resolution, or now)"),
  good: z.number().describe("good requests during the incident"),
  total: z.number().describe("requests during the incident"),
  badDuring: z.number().describe("bad requests (or minutes) during the incident"),
  allowed: z.number().describe("the budget of the period at the end, as the status API gives it"),
  remainingBefore: z.number().describe("the status API's remaining budget at 'from'"),
  remainingAfter: z.number().describe("the status API's remaining budget at 'to'"),
  consumedFraction: z.number().nullable().describe("badDuring ÷ allowed; null when nothing was allowed"),
});
export type PostmortemImpactRow = z.infer<typeof PostmortemImpactRow>;

export const PostmortemResponse = z.object({
  id: z.string(),
  incident: z.object({
    id: z.string(),
    number: z.number().int(),
    title: z.string(),
    priority: IncidentPriorityLevel.nullable(),
    severity: IncidentSeverity.nullable(),
    startedAt: z.string(),
    detectedAt: z.string(),
    resolvedAt: z.string().nullable(),
    commander: z.string().nullable(),
    communicationsLead: z.string().nullable(),
    opsLead: z.string().nullable(),
  }),
  status: PostmortemStatus,
  required: z.boolean(),
  title: z.string(),
  summary: z.string(),
  customerImpact: z.string(),
  trigger: z.string(),
  rootCauses: z.string(),
  resolution: z.string(),
  detection: z.string(),
  wentWell: z.string(),
  wentBadly: z.string(),
  gotLucky: z.string(),
  timeline: z.array(PostmortemTimelineEntry),
  impact: z.array(PostmortemImpactRow),
  actionItems: z.array(ActionItemResponse),
  wordingHints: z
    .array(z.object({ section: z.string(), phrase: z.string(), hint: z.string() }))
    .describe("blameless wording hints for the sections"),
  dueAt: z.string(),
  overdue: z.boolean().describe("not published and past its due time"),
  publishedAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PostmortemResponse = z.infer<typeof PostmortemResponse>;

/** The team page's list of what is late: postmortems and action items of incidents touching the team. */
export const TeamOverdueResponse = z.object({
  postmortems: z.array(
    z.object({
      id: z.string(),
      incidentId: z.string(),
      incidentNumber: z.number().int(),
      title: z.string(),
      status: PostmortemStatus,
      dueAt: z.string(),
    }),
  ),
  actionItems: z.array(
    ActionItemResponse.extend({
      incidentId: z.string(),
      incidentNumber: z.number().int(),
      postmortemTitle: z.string(),
    }),
  ),
});
export type TeamOverdueResponse = z.infer<typeof TeamOverdueResponse>;

import { isTimeZone, ONCALL_POSITIONS, WEEKDAYS } from "@burnrate/slo-core";
import { z } from "zod";
import { Instant, Slug } from "./common";

/** Names of the book's coverage patterns, accepted wherever active hours are. */
export const ACTIVE_HOURS_PRESET_NAMES = ["24x7", "8x5", "12x5", "16x7"] as const;

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM, e.g. 09:00");
const ClockOrMidnight = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "must be a time HH:MM (24:00 allowed), e.g. 17:00");
const Email = z.email("must be an email address").max(320);
export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC");

export const OncallPosition = z.enum(ONCALL_POSITIONS);
export type OncallPosition = z.infer<typeof OncallPosition>;

export const WeeklyWindowBody = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    from: Clock,
    to: ClockOrMidnight.describe("not after 'from' = ends the next day (17:00 → 09:00)"),
  })
  .refine((w) => w.from !== w.to, { message: "'from' and 'to' must differ", path: ["to"] });
export type WeeklyWindowBody = z.infer<typeof WeeklyWindowBody>;

export const ActiveHoursBody = z.union(
  [z.enum(ACTIVE_HOURS_PRESET_NAMES), z.array(WeeklyWindowBody).min(1).max(28)],
  {
    error: "must be 24x7, 8x5, 12x5, 16x7 or a list of windows {days:[mon…sun], from:HH:MM, to:HH:MM}",
  },
);
export type ActiveHoursBody = z.infer<typeof ActiveHoursBody>;

export const RotationBody = z.strictObject({
  periodDays: z.number().int().min(1).max(366).describe("length of a rotation period, e.g. 7"),
  handoff: Clock.describe("local hand-off time, e.g. 09:00"),
  start: z.iso.date("must be a date YYYY-MM-DD").describe("local date of the first hand-off"),
});
export type RotationBody = z.infer<typeof RotationBody>;

const Members = z
  .array(Email)
  .min(1)
  .max(100)
  .refine((m) => new Set(m.map((e) => e.toLowerCase())).size === m.length, "a member is listed twice");

export const LayerBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  rotation: RotationBody,
  activeHours: ActiveHoursBody.optional().describe("default 24x7"),
  members: Members,
});
export type LayerBody = z.infer<typeof LayerBody>;

const Positions = z
  .array(OncallPosition)
  .min(1)
  .max(ONCALL_POSITIONS.length)
  .refine((p) => p.every((x, i) => x === ONCALL_POSITIONS[i]), {
    message: "must be [main], [main, backup] or [main, backup, backup2]",
  });

const ScheduleFields = {
  name: z.string().trim().min(1).max(200),
  timeZone: TimeZone,
  rotation: RotationBody,
  activeHours: ActiveHoursBody.optional().describe("default 24x7"),
  positions: Positions.default(["main", "backup"]),
  members: Members,
  layers: z
    .array(LayerBody)
    .max(4)
    .optional()
    .describe("further rotations, after the first: e.g. an out-of-hours layer under a business-hours one"),
  services: z
    .array(Slug)
    .max(200)
    .optional()
    .describe(
      "the services this rotation covers, for the on-call indicators (default: every service of its teams)",
    ),
};

/** Every layer needs at least as many members as positions, or someone would hold two at once. */
function enoughMembers(
  b: { positions?: OncallPosition[]; members?: string[]; layers?: LayerBody[] },
  ctx: z.RefinementCtx,
): void {
  const need = b.positions?.length ?? 0;
  if (b.members && b.members.length < need)
    ctx.addIssue({
      code: "custom",
      path: ["members"],
      message: `${need} positions need at least ${need} members`,
    });
  b.layers?.forEach((l, i) => {
    if (l.members.length < need)
      ctx.addIssue({
        code: "custom",
        path: ["layers", i, "members"],
        message: `${need} positions need at least ${need} members`,
      });
  });
}

export const CreateScheduleBody = z
  .strictObject({
    ...ScheduleFields,
    team: Slug.optional().describe("scope: a team (business hours: its services in every region)"),
    region: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("scope: a region (out of hours: every service there)"),
    teams: z.array(Slug).min(2).max(50).optional().describe("scope: a domain of several teams"),
  })
  .superRefine((b, ctx) => {
    const scopes = [b.team, b.region, b.teams].filter((x) => x !== undefined).length;
    if (scopes !== 1)
      ctx.addIssue({
        code: "custom",
        path: ["team"],
        message: "give exactly one scope: team, region or teams (a domain)",
      });
    enoughMembers(b, ctx);
  });
export type CreateScheduleBody = z.infer<typeof CreateScheduleBody>;

export const PatchScheduleBody = z
  .strictObject({
    name: ScheduleFields.name.optional(),
    timeZone: TimeZone.optional(),
    rotation: RotationBody.optional(),
    activeHours: ActiveHoursBody.optional(),
    positions: Positions.optional(),
    members: Members.optional(),
    layers: ScheduleFields.layers,
    services: ScheduleFields.services,
  })
  .superRefine((b, ctx) => {
    if (Object.keys(b).length === 0)
      ctx.addIssue({ code: "custom", path: ["name"], message: "give at least one field to change" });
  });
export type PatchScheduleBody = z.infer<typeof PatchScheduleBody>;

export const OncallPerson = z.object({ email: z.string(), name: z.string() });
export type OncallPerson = z.infer<typeof OncallPerson>;

const WeeklyWindowResponse = z.object({ days: z.array(z.enum(WEEKDAYS)), from: z.string(), to: z.string() });
export const LayerResponse = z.object({
  name: z.string(),
  rotation: z.object({ periodDays: z.number(), handoff: z.string(), start: z.string() }),
  activeHours: z.array(WeeklyWindowResponse).nullable().describe("null = 24x7"),
  members: z.array(OncallPerson),
});
export type LayerResponse = z.infer<typeof LayerResponse>;

export const ScheduleResponse = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(["team", "region", "domain"]),
  team: z.string().nullable(),
  region: z.string().nullable(),
  teams: z.array(z.string()).describe("the teams it covers (one for a team schedule, none for a region)"),
  timeZone: z.string(),
  rotation: LayerResponse.shape.rotation,
  activeHours: LayerResponse.shape.activeHours,
  positions: z.array(OncallPosition),
  members: z.array(OncallPerson),
  layers: z.array(LayerResponse).describe("every rotation, the first one included; the first on duty wins"),
  icalUrl: z
    .string()
    .nullable()
    .describe("the iCal feed with its token: shown when the feed token is made, null afterwards"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScheduleResponse = z.infer<typeof ScheduleResponse>;

export const ListSchedulesQuery = z.object({
  team: Slug.optional(),
  region: z.string().min(1).max(64).optional(),
});

export const OncallQuery = z.object({ at: Instant.optional().describe("default: now") });
export const OncallHolder = OncallPerson.extend({
  source: z.enum(["rotation", "override", "swap"]),
  layer: z.number().int(),
});
export type OncallHolder = z.infer<typeof OncallHolder>;
export const OncallResponse = z.object({
  scheduleId: z.string(),
  at: z.string(),
  positions: z.partialRecord(OncallPosition, OncallHolder.nullable()).describe("null = nobody on call then"),
});
export type OncallResponse = z.infer<typeof OncallResponse>;

export const ShiftsQuery = z.object({
  from: Instant.optional().describe("default: now"),
  to: Instant.optional().describe("default: the end of the fourth period from 'from'"),
});
export const ShiftResponse = OncallHolder.extend({
  position: OncallPosition,
  period: z.number().int(),
  start: z.string(),
  end: z.string(),
});
export type ShiftResponse = z.infer<typeof ShiftResponse>;
export const ShiftsResponse = z.object({
  scheduleId: z.string(),
  from: z.string(),
  to: z.string(),
  periods: z.array(
    z.object({ layer: z.number().int(), index: z.number().int(), start: z.string(), end: z.string() }),
  ),
  shifts: z.array(ShiftResponse),
});
export type ShiftsResponse = z.infer<typeof ShiftsResponse>;

/**
 * 'to' after 'from'. Zod still runs this when either field failed (its value is then not a Date): that case is
 * left to the field's own error.
 */
const toAfterFrom = (b: { from: unknown; to: unknown }) =>
  !(b.from instanceof Date) || !(b.to instanceof Date) || b.to.getTime() > b.from.getTime();

export const CreateOncallOverrideBody = z
  .strictObject({
    position: OncallPosition,
    email: Email,
    from: Instant,
    to: Instant,
    reason: z.string().trim().max(2000).optional(),
  })
  .refine(toAfterFrom, { message: "'to' must be after 'from'", path: ["to"] });
export type CreateOncallOverrideBody = z.infer<typeof CreateOncallOverrideBody>;
export const OncallOverrideResponse = z.object({
  id: z.string(),
  scheduleId: z.string(),
  position: OncallPosition,
  email: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string().nullable(),
  author: z.string(),
  createdAt: z.string(),
});
export type OncallOverrideResponse = z.infer<typeof OncallOverrideResponse>;
export const ListOncallOverridesQuery = z.object({
  from: Instant.optional().describe("overrides that end after this; default: now"),
});

export const CreateSwapBody = z
  .strictObject({
    from: Instant,
    to: Instant,
    requester: Email.optional().describe("default: the signed-in person"),
    colleague: Email.optional().describe(
      "the colleague asked to take the shifts: only they can accept or decline (default: any member)",
    ),
    note: z.string().trim().max(2000).optional(),
  })
  .refine(toAfterFrom, { message: "'to' must be after 'from'", path: ["to"] });
export type CreateSwapBody = z.infer<typeof CreateSwapBody>;
export const AcceptSwapBody = z
  .strictObject({ acceptor: Email.optional().describe("default: the signed-in person") })
  .default({});
export type AcceptSwapBody = z.infer<typeof AcceptSwapBody>;
export const DeclineSwapBody = z
  .strictObject({ decliner: Email.optional().describe("default: the signed-in person") })
  .default({});
export type DeclineSwapBody = z.infer<typeof DeclineSwapBody>;
export const SwapResponse = z.object({
  id: z.string(),
  scheduleId: z.string(),
  requester: OncallPerson,
  acceptor: OncallPerson.nullable(),
  /** The colleague asked by name (null: any member of the rotations may take it). */
  colleague: OncallPerson.nullable(),
  from: z.string(),
  to: z.string(),
  state: z.enum(["open", "accepted", "declined"]),
  note: z.string().nullable(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  declinedBy: OncallPerson.nullable(),
  declinedAt: z.string().nullable(),
});
export type SwapResponse = z.infer<typeof SwapResponse>;

export const FeedTokenQuery = z.object({ token: z.string().max(200).optional() });
export const FeedUrlResponse = z.object({
  icalUrl: z.string().describe("path of the feed with its token; shown once, stored only as a hash"),
});

export const DispatchQuery = z
  .object({
    team: Slug.optional().describe("the alert's team (or give its service)"),
    service: Slug.optional().describe("the alert's service: its owning team"),
    region: z.string().min(1).max(64).optional().describe("the alert's region"),
    at: Instant.optional().describe("default: now"),
  })
  .refine((q) => q.team || q.service || q.region, {
    message: "give the alert's team or service, and/or its region",
    path: ["team"],
  });
export const DispatchResponse = z.object({
  at: z.string(),
  dispatch: z
    .enum(["team", "region", "none"])
    .describe(
      "team: a schedule of the team is on duty (business hours); region: the region's (out of hours)",
    ),
  schedule: z.object({ id: z.string(), name: z.string(), scope: z.string() }).nullable(),
  positions: z.partialRecord(OncallPosition, OncallHolder.nullable()),
});
export type DispatchResponse = z.infer<typeof DispatchResponse>;

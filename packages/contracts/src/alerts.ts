import { z } from "zod";

export const AlertResponse = z.object({
  id: z.string(),
  sloId: z.string(),
  sloName: z.string(),
  service: z.string(),
  region: z.string().nullable(),
  kind: z.string(),
  state: z.enum(["firing", "acknowledged", "resolved"]),
  severity: z.enum(["page", "ticket"]),
  priority: z.string().nullable(),
  firedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  slack: z.object({
    channel: z.string().nullable(),
    ts: z.string().nullable(),
    error: z.string().nullable(),
  }),
  events: z.array(z.object({ kind: z.string(), at: z.string(), detail: z.unknown() })).optional(),
});
export type AlertResponse = z.infer<typeof AlertResponse>;
export const ListAlertsQuery = z.object({
  state: z.enum(["firing", "acknowledged", "resolved", "open"]).optional(),
  sloId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const SnoozeBody = z.strictObject({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
});
export const DEFAULT_SNOOZE_MINUTES = 120;

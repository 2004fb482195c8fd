import { z } from "zod";
import { Slug } from "./common";

const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM")
  .describe("calendar month, YYYY-MM");

/** One service's customer support tickets in one month (a count of a service, never of a person). */
export const SupportTicketEntry = z.strictObject({
  service: Slug.describe("service slug"),
  month: Month,
  count: z.number().int().min(0).max(100_000_000),
});
export type SupportTicketEntry = z.infer<typeof SupportTicketEntry>;

export const PutSupportTicketsBody = z.strictObject({
  entries: z.array(SupportTicketEntry).min(1).max(5000),
});
export type PutSupportTicketsBody = z.infer<typeof PutSupportTicketsBody>;

export const PutSupportTicketsResponse = z.object({
  /** Entries written (an entry for a service × month already there replaces it). */
  written: z.number(),
});

export const SupportTicketsQuery = z.object({
  team: Slug.optional().describe("team slug: its services only"),
  service: Slug.optional().describe("service slug"),
  months: z.coerce
    .number()
    .int()
    .min(2)
    .max(36)
    .default(12)
    .describe("months shown, the current one included"),
});

const TicketPoint = z.object({
  month: z.string(),
  count: z.number(),
  /** Growth over the month before: (count − previous) / previous; null for the first month or after a 0. */
  growthRate: z.number().nullable(),
});
const TicketTrend = z.object({
  points: z.array(TicketPoint),
  total: z.number(),
  averageGrowthRate: z.number().nullable(),
  direction: z.enum(["up", "down", "flat"]).nullable(),
});

/** Ticket counts per service and month, with growth rates (book §11.2.9), and their sum over the services. */
export const SupportTicketsResponse = z.object({
  from: z.string(),
  to: z.string(),
  overall: TicketTrend,
  services: z.array(TicketTrend.extend({ service: z.string(), name: z.string(), team: z.string() })),
});
export type SupportTicketsResponse = z.infer<typeof SupportTicketsResponse>;

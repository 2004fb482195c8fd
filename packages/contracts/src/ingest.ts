import { z } from "zod";

/** One request record after validation. */
export interface RequestRecord {
  tsMs: number;
  service: string;
  method: string;
  route: string;
  region: string;
  status: number;
  durationMs: number;
}

export const IngestResponse = z.object({
  accepted: z.number(),
  rejected: z.number(),
  errors: z.array(z.object({ line: z.number(), field: z.string().optional(), message: z.string() })),
  errorsTruncated: z.boolean().optional(),
});
export type IngestResponse = z.infer<typeof IngestResponse>;
export type IngestLineError = IngestResponse["errors"][number];

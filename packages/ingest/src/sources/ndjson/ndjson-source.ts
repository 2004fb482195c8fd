import type { PushSource } from "../source";
import { parseNdjson } from "./ndjson-parser";

export interface NdjsonReadOptions {
  /** false: every line through JSON.parse + validateRequestRecord (the benchmark's reference). */
  fastPath?: boolean;
  /** How far back records are taken (default: the 7-day late-data horizon; a history import: 450 days). */
  horizonMs?: number;
}

/** Request logs as NDJSON, one record per line (`POST /api/v1/ingest/requests`). */
export const ndjsonSource: PushSource<NdjsonReadOptions> = {
  name: "ndjson",
  fieldNames: { route: "route", region: "region" },
  read: (body, nowMs, options) => ({ batch: parseNdjson(body, nowMs, options), ignored: 0 }),
};

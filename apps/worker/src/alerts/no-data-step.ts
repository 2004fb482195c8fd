import { MINUTE_MS } from "@burnrate/slo-core";

/**
 * What an SLO's no-data alert does at `nowMs`:
 * - "fire": the service had data and has now sent nothing for `noDataMinutes`, and no alert is open;
 * - "resolve": the service sends again and the alert is open;
 * - "stay": still silent, the alert stays open (and is released if its last event was held back);
 * - "none": nothing to do (the service never sent, or sends and no alert is open).
 */
export type NoDataStep = "fire" | "resolve" | "stay" | "none";

/**
 * The no-data alert's next step. "Sent" is when ingest last received a record of the service (`lastSeenMs`,
 * its wall clock), not the records' timestamps, so a backfill of old history is not mistaken for a service
 * that went quiet; `lastDataMs` (the SLO's last minute with data) null means it never had any.
 */
export function noDataStep(a: {
  lastDataMs: number | null;
  lastSeenMs: number | null;
  noDataMinutes: number;
  nowMs: number;
  open: boolean;
}): NoDataStep {
  if (a.lastDataMs === null || a.lastSeenMs === null) return "none"; // never had data: nothing went missing
  const silent = a.lastSeenMs <= a.nowMs - a.noDataMinutes * MINUTE_MS;
  if (silent) return a.open ? "stay" : "fire";
  return a.open ? "resolve" : "none";
}

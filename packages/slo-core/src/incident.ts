import { MINUTE_MS } from "./time-units.js";

/** An incident's states in order (book §9.3; Statuspage's vocabulary). */
export const INCIDENT_STATES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/**
 * Whether an incident may move from `from` to `to`. Forward moves may skip states (a quick fix goes from
 * investigating straight to resolved). Going back is allowed only to `investigating` (the lead was wrong or
 * the fix did not hold). A resolved incident is closed: a recurrence is a new incident.
 */
export function incidentTransition(
  from: IncidentState,
  to: IncidentState,
): { ok: true } | { ok: false; reason: string } {
  if (from === "resolved") return { ok: false, reason: "the incident is resolved; open a new incident" };
  if (from === to) return { ok: false, reason: `the incident is already ${to}` };
  const i = INCIDENT_STATES.indexOf(from);
  const j = INCIDENT_STATES.indexOf(to);
  if (j > i || to === "investigating") return { ok: true };
  return { ok: false, reason: `an incident cannot go back from ${from} to ${to}; go back to investigating` };
}

export interface IncidentTimesInput {
  /** When the impact began, if someone said so (e.g. back-dated by hand) */
  startedAtMs: number | null;
  /** When the incident record was opened */
  openedAtMs: number;
  /** The linked alerts: when each fired and when (if) it was acknowledged */
  alerts: readonly { firedAtMs: number; acknowledgedAtMs: number | null }[];
  /** When a person first acted on the incident itself (its first update), if ever */
  firstUpdateAtMs: number | null;
  /** Whether the incident was opened by hand by a person (that opening is itself an acknowledgement) */
  openedByPerson: boolean;
  /** When it moved to resolved, if it did */
  resolvedAtMs: number | null;
}

export interface IncidentTimes {
  startedAtMs: number;
  detectedAtMs: number;
  acknowledgedAtMs: number | null;
  resolvedAtMs: number | null;
  /** Minutes from the start of the impact to detection */
  ttdMinutes: number;
  /** Minutes from detection to acknowledgement */
  ttaMinutes: number | null;
  /** Minutes from the start of the impact to recovery (the bracket's last message gives this) */
  ttrMinutes: number | null;
}

const minutesBetween = (a: number, b: number) => Math.max(0, b - a) / MINUTE_MS;

/**
 * Detect, acknowledge and recover times of an incident, computed once from its timeline:
 * - detected: the earliest linked alert that fired, else the moment the incident was opened;
 * - started: the time given, else the detection (never after it);
 * - acknowledged: the earliest alert ack; without alerts, the opening by a person; else the first update;
 * - resolved: the change to `resolved`.
 */
export function incidentTimes(input: IncidentTimesInput): IncidentTimes {
  const fired = input.alerts.map((a) => a.firedAtMs);
  const detectedAtMs = fired.length > 0 ? Math.min(...fired) : input.openedAtMs;
  const startedAtMs = Math.min(input.startedAtMs ?? detectedAtMs, detectedAtMs);
  const acks = input.alerts.flatMap((a) => (a.acknowledgedAtMs === null ? [] : [a.acknowledgedAtMs]));
  if (input.openedByPerson && input.alerts.length === 0) acks.push(input.openedAtMs);
  if (input.firstUpdateAtMs !== null) acks.push(input.firstUpdateAtMs);
  const acknowledgedAtMs = acks.length > 0 ? Math.max(detectedAtMs, Math.min(...acks)) : null;
  const resolvedAtMs = input.resolvedAtMs;
  return {
    startedAtMs,
    detectedAtMs,
    acknowledgedAtMs,
    resolvedAtMs,
    ttdMinutes: minutesBetween(startedAtMs, detectedAtMs),
    ttaMinutes: acknowledgedAtMs === null ? null : minutesBetween(detectedAtMs, acknowledgedAtMs),
    ttrMinutes: resolvedAtMs === null ? null : minutesBetween(startedAtMs, resolvedAtMs),
  };
}

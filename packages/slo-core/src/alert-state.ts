import type { Severity } from "./alert-tier.js";
import type { TierDecision } from "./decide-tier.js";

export type AlertState = "ok" | "firing" | "acknowledged" | "resolved";

/** The one alert of an SLO × region. `firedAtMs` is the start of the current (or last) episode. */
export interface AlertSnapshot {
  state: AlertState;
  severity: Severity | null;
  snoozedUntilMs: number | null;
  firedAtMs: number | null;
  ackedBy?: string | null;
}

export type AlertNotification = {
  kind: "fired" | "escalated" | "resolved" | "refired" | "acknowledged" | "snoozed" | "deescalated";
};

export interface AlertTransition {
  next: AlertSnapshot;
  notify: AlertNotification[];
}

/** A fresh alert that has never fired. */
export const INITIAL_ALERT: AlertSnapshot = {
  state: "ok",
  severity: null,
  snoozedUntilMs: null,
  firedAtMs: null,
  ackedBy: null,
};

const SEVERITY_RANK: Record<Severity, number> = { ticket: 1, page: 2 };

/** The highest severity among firing tiers, or null when none fires. */
export function highestFiringSeverity(decisions: TierDecision[]): Severity | null {
  let best: Severity | null = null;
  for (const d of decisions) {
    if (d.firing && (best === null || SEVERITY_RANK[d.severity] > SEVERITY_RANK[best])) best = d.severity;
  }
  return best;
}

/** True while a snooze is in force at `nowMs`. */
export function isSnoozed(s: AlertSnapshot, nowMs: number): boolean {
  return s.snoozedUntilMs !== null && s.snoozedUntilMs > nowMs;
}

function isActive(state: AlertState): boolean {
  return state === "firing" || state === "acknowledged";
}

/**
 * Advances the alert after an evaluation.
 * - none → some tier fires: "fired" (or "refired" after a resolved episode: a new episode);
 * - ticket → page: "escalated" on the same alert; an acknowledged alert goes back to firing and
 *   needs a new ack; page → ticket: "deescalated";
 * - no tier fires any more: "resolved";
 * - while snoozed, every notification except "resolved" is suppressed; an expired snooze is cleared.
 */
export function nextAlertState(
  prev: AlertSnapshot,
  decisions: TierDecision[],
  nowMs: number,
): AlertTransition {
  const severity = highestFiringSeverity(decisions);
  const snoozedUntilMs = isSnoozed(prev, nowMs) ? prev.snoozedUntilMs : null;
  const base: AlertSnapshot = { ...prev, snoozedUntilMs };
  let next: AlertSnapshot = base;
  const notify: AlertNotification[] = [];

  if (severity === null) {
    if (isActive(prev.state)) {
      next = { ...base, state: "resolved" };
      notify.push({ kind: "resolved" });
    }
  } else if (!isActive(prev.state)) {
    next = { ...base, state: "firing", severity, firedAtMs: nowMs, ackedBy: null };
    notify.push({ kind: prev.state === "resolved" ? "refired" : "fired" });
  } else if (prev.severity === null || SEVERITY_RANK[severity] > SEVERITY_RANK[prev.severity]) {
    next = { ...base, state: "firing", severity, ackedBy: null };
    notify.push({ kind: "escalated" });
  } else if (SEVERITY_RANK[severity] < SEVERITY_RANK[prev.severity]) {
    next = { ...base, severity };
    notify.push({ kind: "deescalated" });
  }

  const suppressed = isSnoozed(prev, nowMs);
  return { next, notify: suppressed ? notify.filter((n) => n.kind === "resolved") : notify };
}

/** A person acknowledges a firing alert. Anything else is left as it is. */
export function ackAlert(prev: AlertSnapshot, by: string, nowMs: number): AlertTransition {
  void nowMs; // kept in the signature for the timeline; acking does not depend on time
  if (prev.state !== "firing") return { next: prev, notify: [] };
  return { next: { ...prev, state: "acknowledged", ackedBy: by }, notify: [{ kind: "acknowledged" }] };
}

/**
 * Snoozes an active (firing or acknowledged) alert until `untilMs`: its notifications, except
 * "resolved", are held back until then. Inactive alerts and snoozes ending in the past are ignored.
 */
export function snoozeAlert(prev: AlertSnapshot, untilMs: number, nowMs: number): AlertTransition {
  if (!isActive(prev.state) || untilMs <= nowMs) return { next: prev, notify: [] };
  return { next: { ...prev, snoozedUntilMs: untilMs }, notify: [{ kind: "snoozed" }] };
}

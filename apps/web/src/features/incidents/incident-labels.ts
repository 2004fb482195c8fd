import type { IncidentResponse } from "@burnrate/contracts";
import { INCIDENT_STATES, incidentTransition, type IncidentState } from "@burnrate/slo-core";
import type { Tone } from "../../components/status-badge";

export const STATE_LABEL: Record<IncidentState, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

/** The state colours: red while nobody knows the cause, amber while fixing, green when resolved. */
export const STATE_TONE: Record<IncidentState, Tone> = {
  investigating: "firing",
  identified: "low",
  monitoring: "low",
  resolved: "healthy",
};

/** The states an incident may move to from its current one (the API enforces the same rule). */
export const nextStates = (from: IncidentState): IncidentState[] =>
  INCIDENT_STATES.filter((to) => incidentTransition(from, to).ok);

/** Minutes as "51 min" or "2 h 5 min". */
export function fmtMinutes(m: number | null): string {
  if (m === null) return "–";
  const whole = Math.round(m);
  if (whole < 60) return `${whole} min`;
  return `${Math.floor(whole / 60)} h ${whole % 60} min`;
}

/** A timeline entry in words. */
export function describeEntry(e: NonNullable<IncidentResponse["timeline"]>[number]): string {
  const d = (e.detail ?? {}) as { from?: string | null; to?: string; version?: string; service?: string };
  switch (e.kind) {
    case "opened":
      return "Incident opened";
    case "update":
      if ((e.detail as { via?: string } | undefined)?.via === "slack") return "Status from Slack";
      return e.public ? "Public update" : "Note";
    case "slack_channel":
      return "Slack channel created";
    case "slack_message":
      return "Added from Slack";
    case "slack_pin":
      return "Pinned in Slack";
    case "state":
      return `State: ${d.from ?? "?"} → ${d.to ?? "?"}`;
    case "priority":
      return `Priority: ${d.from ?? "none"} → ${d.to ?? "?"}`;
    case "severity":
      return `Severity: ${d.from ?? "none"} → ${d.to ?? "?"}`;
    case "roles":
      return "Roles changed";
    case "deployment":
      return `Deployment ${d.service ?? ""} ${d.version ?? ""}`.trim();
    default:
      return e.kind.startsWith("alert_") ? `Alert ${e.kind.slice(6).replace(/_/g, " ")}` : e.kind;
  }
}

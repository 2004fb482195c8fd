import type { AlertResponse } from "@burnrate/contracts";

/** Snooze lengths offered on the SLO page, in minutes (2 h is the Slack button's). */
export const SNOOZE_CHOICES = [
  [30, "30 min"],
  [60, "1 h"],
  [120, "2 h"],
  [240, "4 h"],
  [480, "8 h"],
  [1440, "24 h"],
] as const;

const isOpen = (a: AlertResponse) => a.state !== "resolved";

/**
 * The alert the SLO page acts on: in the region shown (any region when it shows all), an open one first (firing
 * before acknowledged), else the latest; newest first within each. Null when the SLO has none there.
 */
export function pickAlert(alerts: AlertResponse[], region: string | null): AlertResponse | null {
  const here = alerts.filter((a) => region === null || a.region === region);
  const rank = (a: AlertResponse) => (a.state === "firing" ? 0 : a.state === "acknowledged" ? 1 : 2);
  return (
    [...here].sort((a, b) => rank(a) - rank(b) || Date.parse(b.firedAt) - Date.parse(a.firedAt))[0] ?? null
  );
}

/** Open alerts of the SLO in other regions than the one shown, so the page can point at them. */
export function openElsewhere(alerts: AlertResponse[], shown: AlertResponse | null): AlertResponse[] {
  return alerts.filter((a) => isOpen(a) && a.id !== shown?.id);
}

/** The alert's priority: its own (set when it fired), else its SLO's. */
export function alertPriority(alert: AlertResponse, sloPriority: string | null): string | null {
  return alert.priority ?? sloPriority;
}

type AlertEvent = NonNullable<AlertResponse["events"]>[number];

/** One timeline line in words: "acknowledged by ana@example.com", "snoozed for 2 h by …", "escalated to page". */
export function describeEvent(e: AlertEvent): string {
  const d = (e.detail ?? {}) as { by?: unknown; minutes?: unknown; severity?: unknown; tiers?: unknown };
  const by = typeof d.by === "string" ? ` by ${d.by}` : "";
  switch (e.kind) {
    case "fired": {
      const tiers = Array.isArray(d.tiers) && d.tiers.length > 0 ? ` (${d.tiers.join(", ")})` : "";
      return `fired${typeof d.severity === "string" ? ` as ${d.severity}` : ""}${tiers}`;
    }
    case "escalated":
      return `escalated${typeof d.severity === "string" ? ` to ${d.severity}` : ""}`;
    case "acknowledged":
      return `acknowledged${by}`;
    case "snoozed":
      return `snoozed${typeof d.minutes === "number" ? ` for ${fmtMinutes(d.minutes)}` : ""}${by}`;
    case "notified":
    case "notification_failed":
      return describeNotice(e.kind, d as NoticeDetail);
    case "receiver_failed": {
      const r = e.detail as { receiver?: unknown; type?: unknown; error?: unknown } | null;
      return `receiver ${String(r?.receiver ?? "?")} failed to take ${String(r?.type ?? "the alert")}: ${String(r?.error ?? "")}`;
    }
    case "escalation_advanced":
      return `a receiver failed: escalation step ${stepNumber(d as NoticeDetail)} is due now`;
    case "escalation_step_empty":
      return `escalation step ${stepNumber(d as NoticeDetail)} named nobody on call: next step`;
    default:
      return e.kind.replaceAll("_", " ");
  }
}

type NoticeDetail = { step?: unknown; pass?: unknown; target?: unknown; channel?: unknown; error?: unknown };
const CHANNEL_WORDS: Record<string, string> = {
  slack_dm: "Slack DM",
  slack_thread: "a mention in the thread",
  email: "email",
};
const stepNumber = (d: NoticeDetail) =>
  `${typeof d.step === "number" ? d.step + 1 : "?"}${typeof d.pass === "number" && d.pass > 0 ? ` (repeat ${d.pass})` : ""}`;

/** "step 2: paged ann@example.com by Slack DM", "step 1: email to ben@… failed (smtp 550)". */
function describeNotice(kind: string, d: NoticeDetail): string {
  const who = typeof d.target === "string" ? d.target.replace(/^user:/, "") : "?";
  const how = CHANNEL_WORDS[String(d.channel)] ?? String(d.channel);
  if (d.target === "thread")
    return kind === "notified"
      ? `step ${stepNumber(d)}: paged the on-call people by ${how}`
      : `step ${stepNumber(d)}: ${how} failed (${String(d.error ?? "")})`;
  return kind === "notified"
    ? `step ${stepNumber(d)}: paged ${who} by ${how}`
    : `step ${stepNumber(d)}: ${how} to ${who} failed (${String(d.error ?? "")})`;
}

function fmtMinutes(m: number): string {
  return m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

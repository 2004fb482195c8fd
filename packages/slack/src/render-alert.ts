import { DEFAULT_NO_DATA_MINUTES, formatHours, formatPercent } from "@burnrate/contracts";
/** Everything the Slack alert message shows (book §6.8.2). Pure data: the renderer does no I/O. */
export interface AlertMessageInput {
  alertId: string;
  /** "burn_rate" (default) or "no_data": the service sent nothing for `noDataMinutes`. */
  kind?: "burn_rate" | "no_data";
  noDataMinutes?: number;
  state: "firing" | "acknowledged" | "resolved";
  severity: "page" | "ticket";
  priority: { value: string; derived: boolean } | null;
  service: { slug: string; name: string };
  endpoint: string | null;
  region: string | null;
  sloName: string;
  sentence: string;
  burn: {
    tier: string;
    window: string;
    burnRate: number | null;
    factor: number;
    budgetSpentInWindow: number | null;
  };
  budgetRemaining: number | null;
  timeToExhaustionHours: number | null;
  deployments: { version: string; at: string; region: string | null }[];
  sloUrl: string;
  runbookUrl: string | null;
  acknowledgedBy: string | null;
  snoozedUntil: string | null;
  firedAt: string;
}

type Block = Record<string, unknown>;

/** A time Slack shows in each reader's own time zone, with the ISO time as the fallback text. */
export function slackDate(iso: string): string {
  const sec = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(sec) ? `<!date^${sec}^{date_short_pretty} {time}|${iso}>` : iso;
}

const pct = formatPercent;
const hours = formatHours;

export function alertTitle(m: AlertMessageInput): string {
  const icon =
    m.state === "resolved" ? ":white_check_mark:" : m.severity === "page" ? ":rotating_light:" : ":warning:";
  const what = m.state === "resolved" ? "Resolved" : m.severity === "page" ? "Page" : "Ticket";
  const where = [m.service.slug, m.endpoint, m.region].filter(Boolean).join(" · ");
  if (m.kind === "no_data")
    return `${icon} ${what}: ${m.sloName} (${where}) has received no requests for ${m.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES} min`;
  return `${icon} ${what}: ${m.sloName} (${where}) is burning its error budget`;
}

/** The one message per alert, updated in place as the alert changes. */
export function renderAlertMessage(m: AlertMessageInput): { text: string; blocks: Block[] } {
  const text = alertTitle(m);
  const priority = m.priority
    ? `${m.priority.value}${m.priority.derived ? " (derived from burn rate and budget left)" : " (set on the SLO)"}`
    : "none (derived: below P4)";
  const stateLine =
    m.state === "acknowledged"
      ? `:eyes: Acknowledged by ${m.acknowledgedBy ?? "someone"}`
      : m.state === "resolved"
        ? m.kind === "no_data"
          ? ":white_check_mark: Resolved: requests arrive again"
          : ":white_check_mark: Resolved: no tier is burning any more"
        : m.snoozedUntil
          ? `:zzz: Snoozed until ${slackDate(m.snoozedUntil)}`
          : ":fire: Firing";
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: text.replace(/:[a-z_]+: /, "").slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: `*SLO:* ${m.sentence}` } },
    ...(m.kind === "no_data"
      ? [
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: `*No data:* the service sent no requests in scope for ${m.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES} min; the SLI is unknown, not 0% or 100%.`,
            },
          },
        ]
      : []),
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Service*\n${m.service.name} (\`${m.service.slug}\`)` },
        { type: "mrkdwn", text: `*Endpoint*\n${m.endpoint ?? "whole service"}` },
        { type: "mrkdwn", text: `*Region*\n${m.region ?? "all regions"}` },
        { type: "mrkdwn", text: `*Priority*\n${priority}` },
        {
          type: "mrkdwn",
          text: `*Burn rate (${m.burn.window})*\n${m.burn.burnRate === null ? "no data" : `${m.burn.burnRate.toFixed(1)}×`} (threshold ${m.burn.factor.toFixed(2)}×, tier ${m.burn.tier})`,
        },
        { type: "mrkdwn", text: `*Budget spent in ${m.burn.window}*\n${pct(m.burn.budgetSpentInWindow)}` },
        { type: "mrkdwn", text: `*Budget left this period*\n${pct(m.budgetRemaining)}` },
        { type: "mrkdwn", text: `*Time to exhaustion*\n${hours(m.timeToExhaustionHours)}` },
      ],
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text:
          "*Recent deployments*\n" +
          (m.deployments.length === 0
            ? "none in the last 24 h"
            : m.deployments
                .map((d) => `• \`${d.version}\` at ${slackDate(d.at)}${d.region ? ` in ${d.region}` : ""}`)
                .join("\n")),
      },
    },
    { type: "context", elements: [{ type: "mrkdwn", text: `${stateLine} · fired ${slackDate(m.firedAt)}` }] },
  ];
  const links = [`<${m.sloUrl}|SLO page>`, m.runbookUrl ? `<${m.runbookUrl}|Runbook>` : "no runbook"].join(
    " · ",
  );
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: links }] });
  if (m.state !== "resolved") {
    blocks.push({
      type: "actions",
      block_id: `alert:${m.alertId}`,
      elements: [
        ...(m.state === "firing"
          ? [
              {
                type: "button",
                action_id: "ack",
                text: { type: "plain_text", text: "Acknowledge" },
                style: "primary",
                value: m.alertId,
              },
            ]
          : []),
        {
          type: "button",
          action_id: "snooze",
          text: { type: "plain_text", text: "Snooze 2 h" },
          value: m.alertId,
        },
        { type: "button", action_id: "open", text: { type: "plain_text", text: "Open" }, url: m.sloUrl },
      ],
    });
  }
  return { text, blocks };
}

/** A short thread reply for an alert event. */
export function renderEventReply(
  kind: string,
  detail: { by?: string; minutes?: number; severity?: string; reason?: string },
): string {
  switch (kind) {
    case "escalated":
      return `:arrow_double_up: Escalated to ${detail.severity ?? "page"}`;
    case "deescalated":
      return `:arrow_down: Now ${detail.severity ?? "ticket"} severity`;
    case "acknowledged":
      return `:eyes: Acknowledged by ${detail.by ?? "someone"}`;
    case "snoozed":
      return `:zzz: Snoozed for ${detail.minutes ?? 120} min by ${detail.by ?? "someone"}`;
    case "resolved":
      return ":white_check_mark: Resolved";
    case "refired":
    case "fired":
      return ":fire: Firing again";
    case "released":
      return `:bell: Notifications resume (${detail.reason ?? "suppression ended"}); the alert is ${detail.severity ?? "still firing"}`;
    default:
      return kind;
  }
}

import { DEFAULT_NO_DATA_MINUTES, formatExhaustion, formatPercent } from "@burnrate/contracts";
import { ELLIPSIS, SLACK_LIMITS, escapeMrkdwn, fitMrkdwn, fitPlain, mrkdwnLink } from "./mrkdwn";
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
  /** The projection read against the period (beyond it: "not within this period"). */
  exhaustion?: "exhausted" | "within_period" | "beyond_period" | "not_burning";
  deployments: { version: string; at: string; region: string | null }[];
  sloUrl: string;
  runbookUrl: string | null;
  acknowledgedBy: string | null;
  snoozedUntil: string | null;
  firedAt: string;
}

type Block = Record<string, unknown>;

/** A runbook URL longer than this is not linked (the context text would be cut inside the link). */
const MAX_LINKED_URL = 2000;

/** A time Slack shows in each reader's own time zone, with the ISO time as the fallback text. */
export function slackDate(iso: string): string {
  const sec = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(sec) ? `<!date^${sec}^{date_short_pretty} {time}|${iso}>` : iso;
}

const pct = formatPercent;

/** The alert in one line, as plain (unescaped) text: the header shows it, and the notification text escaped. */
function plainTitle(m: AlertMessageInput): string {
  const what = m.state === "resolved" ? "Resolved" : m.severity === "page" ? "Page" : "Ticket";
  const where = [m.service.slug, m.endpoint, m.region].filter(Boolean).join(" · ");
  if (m.kind === "no_data")
    return `${what}: ${m.sloName} (${where}) has received no requests for ${m.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES} min`;
  return `${what}: ${m.sloName} (${where}) is burning its error budget`;
}

/** The message's notification text (mrkdwn): an icon and the title, user text escaped, within Slack's limit. */
export function alertTitle(m: AlertMessageInput): string {
  const icon =
    m.state === "resolved" ? ":white_check_mark:" : m.severity === "page" ? ":rotating_light:" : ":warning:";
  return fitMrkdwn(`${icon} ${escapeMrkdwn(plainTitle(m))}`, SLACK_LIMITS.messageText);
}

/** A section of mrkdwn text within the section limit; a cut text ends with a link to the full text. */
function section(text: string, fullTextUrl: string): Block {
  const tail = `${ELLIPSIS} ${mrkdwnLink(fullTextUrl, "full text on the SLO page")}`;
  return { type: "section", text: { type: "mrkdwn", text: fitMrkdwn(text, SLACK_LIMITS.sectionText, tail) } };
}

/** A field of a section (mrkdwn) within the field limit. */
function field(label: string, value: string): Block {
  return { type: "mrkdwn", text: fitMrkdwn(`*${label}*\n${value}`, SLACK_LIMITS.sectionFieldText) };
}

/** A context block of mrkdwn texts, each within the limit. */
function context(...texts: string[]): Block {
  return {
    type: "context",
    elements: texts
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: "mrkdwn", text: fitMrkdwn(text, SLACK_LIMITS.contextText) })),
  };
}

/**
 * The one message per alert, updated in place as the alert changes. Every piece of user text (names, services,
 * endpoints, regions, versions, filters in the sentence, who acted) is escaped, and every block is kept within
 * Block Kit's limits by truncation, the full text being on the SLO page the message links to.
 */
export function renderAlertMessage(m: AlertMessageInput): { text: string; blocks: Block[] } {
  const e = escapeMrkdwn;
  const text = alertTitle(m);
  const priority = m.priority
    ? `${e(m.priority.value)}${m.priority.derived ? " (derived from burn rate and budget left)" : " (set on the SLO)"}`
    : "none (derived: below P4)";
  const stateLine =
    m.state === "acknowledged"
      ? `:eyes: Acknowledged by ${e(m.acknowledgedBy ?? "someone")}`
      : m.state === "resolved"
        ? m.kind === "no_data"
          ? ":white_check_mark: Resolved: requests arrive again"
          : ":white_check_mark: Resolved: no tier is burning any more"
        : m.snoozedUntil
          ? `:zzz: Snoozed until ${slackDate(m.snoozedUntil)}`
          : ":fire: Firing";
  const window = e(m.burn.window);
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: fitPlain(plainTitle(m), SLACK_LIMITS.headerText) } },
    section(`*SLO:* ${e(m.sentence)}`, m.sloUrl),
    ...(m.kind === "no_data"
      ? [
          section(
            `*No data:* the service sent no requests in scope for ${m.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES} min; the SLI is unknown, not 0% or 100%.`,
            m.sloUrl,
          ),
        ]
      : []),
    {
      type: "section",
      fields: [
        field("Service", `${e(m.service.name)} (\`${e(m.service.slug)}\`)`),
        field("Endpoint", e(m.endpoint ?? "whole service")),
        field("Region", e(m.region ?? "all regions")),
        field("Priority", priority),
        field(
          `Burn rate (${window})`,
          `${m.burn.burnRate === null ? "no data" : `${m.burn.burnRate.toFixed(1)}×`} (threshold ${m.burn.factor.toFixed(2)}×, tier ${e(m.burn.tier)})`,
        ),
        field(`Budget spent in ${window}`, pct(m.burn.budgetSpentInWindow)),
        field("Budget left this period", pct(m.budgetRemaining)),
        field("Time to exhaustion", formatExhaustion(m.timeToExhaustionHours, m.exhaustion)),
      ].slice(0, SLACK_LIMITS.sectionFields),
    },
    section(
      "*Recent deployments*\n" +
        (m.deployments.length === 0
          ? "none in the last 24 h"
          : m.deployments
              .map(
                (d) => `• \`${e(d.version)}\` at ${slackDate(d.at)}${d.region ? ` in ${e(d.region)}` : ""}`,
              )
              .join("\n")),
      m.sloUrl,
    ),
    context(`${stateLine} · fired ${slackDate(m.firedAt)}`),
  ];
  const runbook =
    m.runbookUrl && m.runbookUrl.length <= MAX_LINKED_URL ? mrkdwnLink(m.runbookUrl, "Runbook") : null;
  blocks.push(
    context(
      [
        mrkdwnLink(m.sloUrl, "SLO page"),
        runbook ?? (m.runbookUrl ? "Runbook: see the SLO page" : "no runbook"),
      ].join(" · "),
    ),
  );
  if (m.state !== "resolved") {
    blocks.push({
      type: "actions",
      block_id: `alert:${m.alertId}`.slice(0, SLACK_LIMITS.blockId),
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
        {
          type: "button",
          action_id: "open_incident",
          text: { type: "plain_text", text: "Open incident" },
          value: m.alertId,
        },
        ...(m.sloUrl.length <= SLACK_LIMITS.buttonUrl
          ? [{ type: "button", action_id: "open", text: { type: "plain_text", text: "Open" }, url: m.sloUrl }]
          : []),
      ],
    });
  }
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** A short thread reply for an alert event. */
export function renderEventReply(
  kind: string,
  detail: { by?: string; minutes?: number; severity?: string; reason?: string },
): string {
  return fitMrkdwn(eventReply(kind, detail), SLACK_LIMITS.messageText);
}

function eventReply(
  kind: string,
  raw: { by?: string; minutes?: number; severity?: string; reason?: string },
): string {
  const detail = {
    ...raw,
    by: raw.by === undefined ? undefined : escapeMrkdwn(raw.by),
    severity: raw.severity === undefined ? undefined : escapeMrkdwn(raw.severity),
    reason: raw.reason === undefined ? undefined : escapeMrkdwn(raw.reason),
  };
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
      return escapeMrkdwn(kind);
  }
}

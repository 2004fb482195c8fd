import { SLACK_LIMITS, escapeMrkdwn, fitMrkdwn, fitPlain, mrkdwnLink } from "./mrkdwn";
import { slackDate } from "./render-alert";

/** Slack's longest channel name. */
export const CHANNEL_NAME_MAX = 80;
/** Room kept at the end of a name for the suffix of a taken name (`-2` … `-999`). */
const SUFFIX_ROOM = 4;

/** Lowercase ASCII letters, digits, `-` and `_` only (accents dropped, anything else a hyphen, no runs). */
export function channelSlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
}

/**
 * An incident channel's name, like the book's Tbl 9.19 (`inc-id-dd-mm-yy-short-reason`), with the incident
 * number first so that a cut never loses it: `inc-<yyyymmdd>-<number>-<service>-<words of the title>`, the
 * date in UTC. Only characters Slack allows, at most 80 with room left for a `-N` suffix when the name is taken.
 */
export function incidentChannelName(i: {
  number: number;
  startedAt: Date;
  service: string | null;
  title: string;
}): string {
  const day = i.startedAt.toISOString().slice(0, 10).replace(/-/g, "");
  const head = `inc-${day}-${i.number}`;
  const rest = [i.service, i.title]
    .map((p) => channelSlug(p ?? ""))
    .filter(Boolean)
    .join("-");
  const max = CHANNEL_NAME_MAX - SUFFIX_ROOM;
  if (!rest) return head;
  return `${head}-${rest}`.slice(0, max).replace(/[-_]+$/g, "");
}

/** The name with the suffix of its `n`-th try (1 = the name itself), within Slack's 80 characters. */
export function suffixedChannelName(base: string, n: number): string {
  if (n <= 1) return base;
  const tail = `-${n}`;
  return `${base.slice(0, CHANNEL_NAME_MAX - tail.length).replace(/[-_]+$/g, "")}${tail}`;
}

/** Everything the pinned summary shows. Pure data: the renderer does no I/O. */
export interface IncidentSummaryInput {
  number: number;
  title: string;
  state: string;
  priority: string | null;
  severity: string | null;
  services: string[];
  regions: string[];
  roles: { commander: string | null; communicationsLead: string | null; opsLead: string | null };
  startedAt: string;
  resolvedAt: string | null;
  ttrMinutes: number | null;
  url: string;
}

type Block = Record<string, unknown>;

const STATE_ICON: Record<string, string> = {
  investigating: ":mag:",
  identified: ":bulb:",
  monitoring: ":eyes:",
  resolved: ":white_check_mark:",
};

/**
 * The summary pinned in the incident channel, updated in place when the state, priority, severity or roles
 * change. All user text is escaped (a title cannot ping `@channel` or forge a link) and kept within Block Kit.
 */
export function renderIncidentSummary(i: IncidentSummaryInput): { text: string; blocks: Block[] } {
  const e = escapeMrkdwn;
  const who = (v: string | null) => (v ? e(v) : "not assigned");
  const list = (v: string[], none: string) => (v.length ? v.map((x) => `\`${e(x)}\``).join(", ") : none);
  const icon = STATE_ICON[i.state] ?? ":grey_question:";
  const text = fitMrkdwn(
    `${icon} Incident ${i.number} (${e(i.state)}): ${e(i.title)}`,
    SLACK_LIMITS.messageText,
  );
  const field = (label: string, value: string): Block => ({
    type: "mrkdwn",
    text: fitMrkdwn(`*${label}*\n${value}`, SLACK_LIMITS.sectionFieldText),
  });
  const when =
    `Started ${slackDate(i.startedAt)}` +
    (i.resolvedAt
      ? ` · resolved ${slackDate(i.resolvedAt)}${i.ttrMinutes === null ? "" : ` · time to recovery ${Math.round(i.ttrMinutes)} min`}`
      : "");
  const blocks: Block[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: fitPlain(`Incident ${i.number}: ${i.title}`, SLACK_LIMITS.headerText),
      },
    },
    {
      type: "section",
      fields: [
        field("State", `${icon} ${e(i.state)}`),
        field("Priority", e(i.priority ?? "not set")),
        field("Severity", e(i.severity ?? "not set")),
        field("Services", list(i.services, "none named")),
        field("Regions", list(i.regions, "all")),
        field("Incident commander", who(i.roles.commander)),
        field("Communications lead", who(i.roles.communicationsLead)),
        field("Ops lead", who(i.roles.opsLead)),
      ],
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: fitMrkdwn(when, SLACK_LIMITS.contextText) }],
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: fitMrkdwn(
            `${mrkdwnLink(i.url, "Incident in Burnrate")} · post \`status &lt;state&gt; &lt;what changed&gt;\` here to update it · :pushpin: a message or use "Add to incident timeline" to keep it`,
            SLACK_LIMITS.contextText,
          ),
        },
      ],
    },
  ];
  return { text, blocks };
}

/**
 * A status message written in the incident channel: `status <state> <text>` (or `status: <state> - <text>`).
 * Returns the state named (null when the first word is not a state) and the rest as the message.
 */
export function parseStatusMessage(
  text: string,
  states: readonly string[],
): { state: string | null; message: string } | null {
  const m = /^\s*status\s*:?\s+(.*)$/is.exec(text);
  if (!m) return null;
  const rest = m[1]!.trim();
  const first = /^([a-z]+)\b\s*[-:–—]?\s*(.*)$/is.exec(rest);
  const word = first?.[1]?.toLowerCase() ?? "";
  if (first && states.includes(word)) return { state: word, message: first[2]!.trim() || word };
  return rest ? { state: null, message: rest } : null;
}

import { SLACK_LIMITS, escapeMrkdwn, fitMrkdwn, fitPlain, mrkdwnLink } from "./mrkdwn";

/** What the `/burnrate oncall <team>` answer shows: each of the team's schedules and who holds each position. */
export interface OncallAnswerInput {
  team: { slug: string; name: string };
  schedules: {
    name: string;
    timeZone: string;
    positions: { position: string; person: { name: string; email: string } | null }[];
  }[];
  scheduleUrl: string;
}

const LABEL: Record<string, string> = { main: "Main", backup: "Backup", backup2: "Backup 2" };
/** Names are shown as written: Slack's mrkdwn control characters are escaped. */
const esc = escapeMrkdwn;
/** Slack refuses a message over 50 blocks. */
const MAX_SCHEDULES = 45;

const holder = (p: OncallAnswerInput["schedules"][number]["positions"][number]) =>
  `*${LABEL[p.position] ?? esc(p.position)}:* ${
    p.person ? `${esc(p.person.name)} (${esc(p.person.email)})` : "_nobody (outside active hours)_"
  }`;

/** The answer, seen only by the person who asked (ephemeral). */
export function renderOncallAnswer(m: OncallAnswerInput): {
  response_type: "ephemeral";
  text: string;
  blocks: Record<string, unknown>[];
} {
  const title = `On call for ${m.team.name} (${m.team.slug})`;
  if (m.schedules.length === 0)
    return {
      response_type: "ephemeral",
      text: `${title}: no schedule yet`,
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: `*${esc(title)}*\nNo schedule yet. Create one on ${mrkdwnLink(m.scheduleUrl, "the On call page")}.`,
          },
        },
      ],
    };
  const shown = m.schedules.slice(0, MAX_SCHEDULES);
  const text = `${title}: ${shown
    .map(
      (s) =>
        `${s.name}: ${s.positions.map((p) => `${LABEL[p.position] ?? p.position} ${p.person?.name ?? "nobody"}`).join(", ")}`,
    )
    .join("; ")}`;
  return {
    response_type: "ephemeral",
    text,
    blocks: [
      { type: "header", text: { type: "plain_text", text: fitPlain(title, SLACK_LIMITS.headerText) } },
      ...shown.map((s) => ({
        type: "section",
        text: {
          type: "mrkdwn",
          text: fitMrkdwn(
            `*${esc(s.name)}* _(${esc(s.timeZone)})_\n${s.positions.map(holder).join("\n")}`,
            SLACK_LIMITS.sectionText,
          ),
        },
      })),
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: mrkdwnLink(m.scheduleUrl, "Schedules and the next periods") }],
      },
    ],
  };
}

/** What a hand-off notice says: who is on call now in each position, and who takes over next. */
export interface HandoffNoticeInput {
  schedule: string;
  positions: { position: string; person: { name: string; email: string } | null }[];
  next: { name: string; email: string; atIso: string } | null;
  scheduleUrl: string;
}

/** The notice posted to the team's channel when a shift starts. */
export function renderHandoffNotice(m: HandoffNoticeInput): {
  text: string;
  blocks: Record<string, unknown>[];
} {
  const now = m.positions
    .map((p) => `${LABEL[p.position] ?? p.position} ${p.person?.name ?? "nobody"}`)
    .join(", ");
  const nextText = m.next ? `Next: ${m.next.name} from ${m.next.atIso}` : "No next shift in the next 60 days";
  const when = m.next
    ? `<!date^${Math.floor(Date.parse(m.next.atIso) / 1000)}^{date_short_pretty} {time}|${m.next.atIso}>`
    : "";
  return {
    text: `On call now for ${m.schedule}: ${now}. ${nextText}.`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: fitMrkdwn(
            `*On call now · ${esc(m.schedule)}*\n${m.positions.map(holder).join("\n")}`,
            SLACK_LIMITS.sectionText,
          ),
        },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `${m.next ? `Next main: ${esc(m.next.name)} (${esc(m.next.email)}) from ${when}` : "No next shift in the next 60 days"} · ${mrkdwnLink(m.scheduleUrl, "Schedule")}`,
          },
        ],
      },
    ],
  };
}

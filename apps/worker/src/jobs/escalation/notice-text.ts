import { SLACK_LIMITS, escapeMrkdwn, fitMrkdwn } from "@burnrate/slack";

/** What a page says about its alert, whatever the channel. */
export interface NoticeFacts {
  alertId: string;
  sloId: string;
  sloName: string;
  service: string;
  region: string | null;
  severity: string;
  policy: string;
  step: number;
  pass: number;
  steps: number;
  publicUrl: string;
}

const where = (f: NoticeFacts) => `${f.service}${f.region ? ` in ${f.region}` : ""}`;
const sloUrl = (f: NoticeFacts) => `${f.publicUrl.replace(/\/$/, "")}/slos/${encodeURIComponent(f.sloId)}`;
const stepText = (f: NoticeFacts) =>
  `step ${f.step + 1} of ${f.steps}${f.pass > 0 ? `, repeat ${f.pass}` : ""} of ${f.policy}`;

/** The Slack DM: escaped, so a hostile SLO name cannot ping a channel; within Slack's length. */
export function dmText(f: NoticeFacts): string {
  return fitMrkdwn(
    `:rotating_light: You are paged for *${escapeMrkdwn(f.sloName)}* (${escapeMrkdwn(where(f))}, ${f.severity}): ` +
      `${escapeMrkdwn(stepText(f))}. <${sloUrl(f)}|Open the SLO> and acknowledge it there or in the alert's channel.`,
    SLACK_LIMITS.messageText,
  );
}

/** The reply in the alert's thread that @mentions the people this step pages. */
export function mentionText(f: NoticeFacts, slackUserIds: string[]): string {
  const who = slackUserIds.map((id) => `<@${id}>`).join(" ");
  return fitMrkdwn(`${who} paged (${escapeMrkdwn(stepText(f))}).`, SLACK_LIMITS.messageText);
}

/** The email: plain text, the subject on one line. */
export function emailOf(f: NoticeFacts): { subject: string; text: string } {
  const subject = `[Burnrate ${f.severity}] ${f.sloName} (${where(f)})`
    .replace(/[\r\n]+/g, " ")
    .slice(0, 200);
  return {
    subject,
    text:
      `You are paged for ${f.sloName} (${where(f)}, ${f.severity}): ${stepText(f)}.\n\n` +
      `Open the SLO and acknowledge the alert: ${sloUrl(f)}\n`,
  };
}

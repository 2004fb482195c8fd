import { PERMANENT_SLACK_ERRORS, slackErrorCode } from "@burnrate/slack";
import { UnrecoverableError } from "bullmq";
import type { EscalationDeps } from "./escalation-deps";
import type { Recipient } from "./recipients";

/** A Slack error that retrying cannot fix becomes an UnrecoverableError (recorded, then the next step). */
async function permanentSlack<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const code = slackErrorCode(e);
    if (code && PERMANENT_SLACK_ERRORS.has(code)) throw new UnrecoverableError(`slack: ${code}`);
    throw e;
  }
}

/** The person's Slack user id by their email, or an UnrecoverableError when Slack has no such user. */
export async function slackUserOf(deps: EscalationDeps, r: Recipient): Promise<string> {
  const id = await permanentSlack(() => deps.slack!.lookupUserByEmail(r.email));
  if (!id) throw new UnrecoverableError("slack: users_not_found");
  return id;
}

/**
 * A direct message to the person: their DM channel (conversations.open), then the message with the key in its
 * metadata; after an attempt that may have posted, the key is looked up in the DM first.
 */
export async function sendDm(
  deps: EscalationDeps,
  r: Recipient,
  m: { key: string; text: string; sinceMs: number },
  mayHaveSent: boolean,
): Promise<string> {
  const slack = deps.slack!;
  return permanentSlack(async () => {
    const channel = await slack.openDm(await slackUserOf(deps, r));
    const found = mayHaveSent ? await slack.findByKey({ channel, key: m.key, oldestMs: m.sinceMs }) : null;
    return found ?? (await slack.post({ channel, text: m.text, key: m.key })).ts;
  });
}

/** A reply in the alert's thread; after an attempt that may have posted, found again by its key. */
export async function sendThreadReply(
  deps: EscalationDeps,
  m: { channel: string; threadTs: string; key: string; text: string; sinceMs: number },
  mayHaveSent: boolean,
): Promise<string> {
  const slack = deps.slack!;
  return permanentSlack(async () => {
    const found = mayHaveSent
      ? await slack.findByKey({ channel: m.channel, key: m.key, oldestMs: m.sinceMs, threadTs: m.threadTs })
      : null;
    return (
      found ?? (await slack.post({ channel: m.channel, text: m.text, threadTs: m.threadTs, key: m.key })).ts
    );
  });
}

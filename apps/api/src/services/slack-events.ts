import { ValidationError } from "@burnrate/contracts";
import type { Enqueue } from "@burnrate/jobs";
import type { SlackSender } from "@burnrate/slack";
import { controlCharacterError, findControlCharacter } from "./control-characters";
import { handleSlackEvent, parseEventBody } from "./incidents/incident-slack";
import { slackActorName } from "./slack-interactions";
import { acceptSlackRequest, type SlackRequest } from "./slack-requests";

/**
 * Slack's Events API: every request is verified like the interactivity callback (signature, freshness, no
 * replay). A url_verification gets its challenge back; an event of an incident channel is mirrored into the
 * incident's timeline, once per source message (Slack delivers an event again when an answer is late).
 */
export async function handleSlackEvents(
  deps: SlackRequest & { enqueue: Enqueue; slack: SlackSender | null },
): Promise<{ challenge?: string; ok?: boolean; result?: string }> {
  await acceptSlackRequest(deps, "events");
  const body = parseEventBody(deps.rawBody);
  const hostile = findControlCharacter(body, "body");
  if (hostile) throw controlCharacterError(hostile);
  if (body.type === "url_verification") {
    if (typeof body.challenge !== "string" || body.challenge.length > 500)
      throw new ValidationError("body field 'challenge': a string is expected");
    return { challenge: body.challenge };
  }
  if (body.type !== "event_callback") return { ok: true, result: "ignored" };
  const event = body.event;
  if (!event || typeof event !== "object" || Array.isArray(event))
    throw new ValidationError("body field 'event': an object is expected");
  const result = await handleSlackEvent({
    db: deps.db,
    enqueue: deps.enqueue,
    slack: deps.slack,
    event: event as Record<string, unknown>,
    eventId: typeof body.event_id === "string" ? body.event_id : "",
    nowMs: deps.nowMs,
    author: async (userId) => {
      const email = userId && deps.slack ? await deps.slack.userEmail(userId).catch(() => null) : null;
      return slackActorName(deps.db, { id: userId ?? undefined, ...(email ? { email } : {}) });
    },
  });
  return { ok: true, result };
}

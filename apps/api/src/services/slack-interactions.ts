import {
  AppError,
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  DEFAULT_SNOOZE_MINUTES,
  type SlackSettingsResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import { escapeMrkdwn, slackErrorCode, type SlackSender } from "@burnrate/slack";
import type { Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { controlCharacterError, findControlCharacter } from "./control-characters";
import { actOnAlert } from "./alerts";
import { addMessageToTimeline, openIncidentFromAlert, TIMELINE_SHORTCUT } from "./incidents/incident-slack";
import { acceptSlackRequest } from "./slack-requests";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string; name?: string; email?: string };
  actions?: { action_id?: string; value?: string }[];
  /** A message shortcut (`message_action`): its callback id, channel and message. */
  callback_id?: string;
  channel?: { id?: string };
  message?: { ts?: string; text?: string; user?: string };
}

const BUTTONS = new Set(["ack", "snooze", "open_incident"]);

/**
 * Slack's signed interactivity callback: verify the v0 signature over the raw body, refuse stale timestamps
 * and replays (each signature is accepted once, remembered in Postgres past the 5-minute window, so a Redis
 * restart forgets nothing), then ack or snooze
 * the alert named by the button, or open an incident from it ("Open incident"); a message shortcut in an
 * incident's channel adds the message to its timeline. The action is attributed to the Burnrate user with the Slack user's email
 * when the payload carries one, else to the Slack user name.
 */
export async function handleSlackInteraction(deps: {
  db: Db;
  enqueue: Enqueue;
  signingSecret: string | undefined;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): Promise<{ text: string; response_type?: "ephemeral" }> {
  await acceptSlackRequest(deps, "interactivity");

  const raw = new URLSearchParams(deps.rawBody).get("payload");
  if (!raw) throw new ValidationError("body field 'payload': missing (Slack sends payload=<json>)");
  let payload: BlockActionsPayload;
  try {
    payload = JSON.parse(raw) as BlockActionsPayload;
  } catch {
    throw new ValidationError("body field 'payload': not valid JSON");
  }
  const hostile = findControlCharacter(payload, "body.payload");
  if (hostile) throw controlCharacterError(hostile);
  if (payload.type === "message_action") {
    if (payload.callback_id !== TIMELINE_SHORTCUT) return { text: "ignored: not a Burnrate shortcut" };
    const channel = payload.channel?.id;
    const ts = payload.message?.ts;
    if (!channel || !ts)
      throw new ValidationError(
        "body field 'payload.message': a message shortcut names its channel and message",
      );
    return {
      response_type: "ephemeral",
      ...(await addMessageToTimeline({
        db: deps.db,
        channel,
        ts,
        text: payload.message?.text ?? "",
        messageUser: payload.message?.user ?? null,
        by: await slackActorName(deps.db, payload.user),
        nowMs: deps.nowMs,
      })),
    };
  }
  if (payload.type !== "block_actions") return { text: "ignored: not a button action" };
  const action = payload.actions?.find((a) => BUTTONS.has(a.action_id ?? ""));
  if (!action) return { text: "ignored: no Burnrate action" };
  const alertId = action.value ?? "";
  if (!UUID.test(alertId)) throw new ValidationError("body field 'payload.actions.value': not an alert id");
  const by = await slackActorName(deps.db, payload.user);
  if (action.action_id === "open_incident")
    return {
      response_type: "ephemeral",
      ...(await openIncidentFromAlert({
        db: deps.db,
        enqueue: deps.enqueue,
        alertId,
        by,
        nowMs: deps.nowMs,
      })),
    };
  try {
    const a = await actOnAlert({
      db: deps.db,
      enqueue: deps.enqueue,
      actor: null,
      by,
      id: alertId,
      action:
        action.action_id === "ack" ? { kind: "ack" } : { kind: "snooze", minutes: DEFAULT_SNOOZE_MINUTES },
      nowMs: deps.nowMs,
    });
    return {
      response_type: "ephemeral",
      text:
        action.action_id === "ack"
          ? `Acknowledged ${escapeMrkdwn(a.sloName)} as ${escapeMrkdwn(by)}`
          : `Snoozed ${escapeMrkdwn(a.sloName)} for ${DEFAULT_SNOOZE_MINUTES} min`,
    };
  } catch (e) {
    // Slack shows nothing for a non-200 answer; tell the person what happened instead.
    if (e instanceof AppError && !(e instanceof UnauthorizedError))
      return { response_type: "ephemeral", text: escapeMrkdwn(e.message) };
    throw e;
  }
}

export async function slackActorName(db: Db, user: BlockActionsPayload["user"]): Promise<string> {
  const email = user?.email?.trim().toLowerCase();
  if (email) {
    const u = await db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } } });
    if (u) return `${u.name} (${u.email})`;
  }
  const name = user?.username ?? user?.name ?? user?.id ?? "someone in Slack";
  return name.startsWith("@") ? name : `@${name}`;
}

export function slackSettings(cfg: {
  botToken: string | undefined;
  signingSecret: string | undefined;
  publicUrl: string;
}): SlackSettingsResponse {
  const configured = !!cfg.botToken;
  const signing = !!cfg.signingSecret;
  return {
    configured,
    signingSecretConfigured: signing,
    interactivityUrl: `${cfg.publicUrl.replace(/\/$/, "")}/api/v1/slack/interactions`,
    message: !configured
      ? "Slack is not configured: set SLACK_BOT_TOKEN. Alerts are still recorded and shown here."
      : !signing
        ? "Slack posts alerts, but its buttons are refused until SLACK_SIGNING_SECRET is set."
        : "Slack is configured: alerts are posted and the Acknowledge / Snooze / Open incident buttons work.",
  };
}

/** Posts a test message to a team's alert channel with the API's own Slack client. */
export async function sendSlackTest(deps: {
  db: Db;
  slack: SlackSender | null;
  actor: Actor | null;
  team: string;
}): Promise<{ ok: true; channel: string; ts: string }> {
  const team = await deps.db.team.findUnique({ where: { slug: deps.team } });
  if (!team) throw new NotFoundError("team", deps.team);
  assertCanWriteTeam(deps.actor, team.id);
  if (!deps.slack)
    throw new ConflictError(
      "Slack is not configured: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET for the buttons), then try again",
    );
  if (!team.slackChannel)
    throw new ConflictError(`team '${team.slug}' has no Slack channel: set its slackChannel first`);
  try {
    const r = await deps.slack.test({
      channel: team.slackChannel,
      text: `:wave: Burnrate test message for team ${escapeMrkdwn(team.name)}: SLO alerts for this team will be posted here.`,
    });
    return { ok: true, channel: team.slackChannel, ts: r.ts };
  } catch (e) {
    const code = slackErrorCode(e);
    if (code)
      throw new ConflictError(`Slack refused the test message to ${team.slackChannel}: ${code}`, {
        slackError: code,
      });
    throw e;
  }
}

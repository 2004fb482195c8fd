import { ValidationError, type IncidentResponse } from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import { escapeMrkdwn, fitPlain, parseStatusMessage, type SlackSender } from "@burnrate/slack";
import { INCIDENT_STATES, incidentTransition, type IncidentState } from "@burnrate/slo-core";
import { createIncident } from "./create-incident";
import { applyIncidentUpdate } from "./update-incident";

/** Reactions that put a message on the incident's timeline. */
export const PIN_REACTIONS = new Set(["pushpin", "round_pushpin"]);
/** The message shortcut's callback id (set in the Slack app's configuration). */
export const TIMELINE_SHORTCUT = "add_to_incident_timeline";
/** Control characters dropped from text fetched from Slack (Postgres refuses NUL). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
/** A mirrored message's text is kept up to this length. */
const MAX_TEXT = 5000;

/**
 * Asks the worker to create or update the incident's channel (its own job per revision). Redis being down
 * loses nothing: the channel sweep brings every open incident up to date.
 */
export async function syncChannelSoon(enqueue: Enqueue, i: Pick<IncidentResponse, "id" | "updatedAt">) {
  await enqueue("incident.channel", { incidentId: i.id, rev: Date.parse(i.updatedAt) }).catch(
    () => undefined,
  );
}

/** The incident whose channel this is, if any. */
export async function incidentOfChannel(db: Db, channel: string) {
  const ch = await db.incidentChannel.findUnique({
    where: { channelId: channel },
    include: { incident: true },
  });
  return ch?.incident ?? null;
}

/**
 * Opens an incident from the alert of a Slack message's "Open incident" button, named after the alert. A
 * second click (or a second person) gets the incident already open for that alert.
 */
export async function openIncidentFromAlert(deps: {
  db: Db;
  enqueue: Enqueue;
  alertId: string;
  by: string;
  nowMs: number;
}): Promise<{ text: string }> {
  const alert = await deps.db.alert.findUnique({
    where: { id: deps.alertId },
    include: { slo: { include: { service: true } } },
  });
  if (!alert) return { text: "This alert no longer exists." };
  const where = [alert.slo.service.slug, alert.regionKey === "*" ? null : alert.regionKey]
    .filter(Boolean)
    .join(" · ");
  const title = fitPlain(`${alert.slo.name} (${where})`, 200).padEnd(3, ".");
  const out = await createIncident({
    db: deps.db,
    actor: null,
    input: { title, alertIds: [alert.id] },
    nowMs: deps.nowMs,
    fromSlack: { by: deps.by },
  });
  await syncChannelSoon(deps.enqueue, out);
  return {
    text: out.reused
      ? `Incident ${out.number} is already open for this alert: ${escapeMrkdwn(out.title)}`
      : `Opened incident ${out.number}: ${escapeMrkdwn(out.title)}. Its channel follows when its severity gets one.`,
  };
}

/**
 * Writes a timeline entry mirrored from Slack once per key (a message shortcut used twice, a reaction added by
 * two people, Slack delivering an event again): true when it was written now.
 */
export async function mirrorEntry(
  db: Db,
  e: {
    key: string;
    incidentId: string;
    kind: "slack_message" | "slack_pin";
    at: Date;
    message: string;
    author: string;
    detail: Record<string, string | null>;
  },
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const first = await tx.incidentSlackEntry.createMany({
      data: [{ key: e.key, incidentId: e.incidentId }],
      skipDuplicates: true,
    });
    if (first.count === 0) return false;
    await tx.incidentEvent.create({
      data: {
        incidentId: e.incidentId,
        kind: e.kind,
        at: e.at,
        message: e.message.replace(CONTROL, "").slice(0, MAX_TEXT) || "(no text)",
        author: e.author,
        detail: e.detail,
      },
    });
    return true;
  });
}

/** A message shortcut "Add to incident timeline" used on a message of an incident's channel. */
export async function addMessageToTimeline(deps: {
  db: Db;
  channel: string;
  ts: string;
  text: string;
  messageUser: string | null;
  by: string;
  nowMs: number;
}): Promise<{ text: string }> {
  const i = await incidentOfChannel(deps.db, deps.channel);
  if (!i) return { text: "This channel is not an incident's channel: nothing was added." };
  const added = await mirrorEntry(deps.db, {
    key: `message:${deps.channel}:${deps.ts}`,
    incidentId: i.id,
    kind: "slack_message",
    at: new Date(deps.nowMs),
    message: deps.text,
    author: deps.by,
    detail: { channel: deps.channel, ts: deps.ts, user: deps.messageUser },
  });
  return {
    text: added
      ? `Added to the timeline of incident ${i.number}.`
      : `Already on the timeline of incident ${i.number}.`,
  };
}

/** An Events API event (already verified): a :pushpin: reaction or a status message in an incident channel. */
export async function handleSlackEvent(deps: {
  db: Db;
  enqueue: Enqueue;
  slack: SlackSender | null;
  event: Record<string, unknown>;
  eventId: string;
  nowMs: number;
  author: (userId: string | null) => Promise<string>;
}): Promise<string> {
  const e = deps.event;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  if (e.type === "reaction_added") {
    const item = (e.item ?? {}) as Record<string, unknown>;
    const channel = str(item.channel);
    const ts = str(item.ts);
    if (!PIN_REACTIONS.has(str(e.reaction) ?? "") || item.type !== "message" || !channel || !ts)
      return "ignored";
    const i = await incidentOfChannel(deps.db, channel);
    if (!i) return "ignored: not an incident channel";
    const m = deps.slack ? await deps.slack.messageAt({ channel, ts }).catch(() => null) : null;
    const added = await mirrorEntry(deps.db, {
      key: `pin:${channel}:${ts}`,
      incidentId: i.id,
      kind: "slack_pin",
      at: new Date(deps.nowMs),
      message: m?.text ?? "(a message of the incident channel)",
      author: await deps.author(str(e.user)),
      detail: { channel, ts, user: m?.user ?? null, reaction: str(e.reaction) },
    });
    return added ? "pinned" : "already pinned";
  }
  if (e.type === "message") {
    // People's messages only: not our own posts, edits, joins or other subtypes.
    if (e.subtype !== undefined || e.bot_id !== undefined) return "ignored";
    const channel = str(e.channel);
    const ts = str(e.ts);
    const text = str(e.text) ?? "";
    if (!channel || !ts) return "ignored";
    const status = parseStatusMessage(text, INCIDENT_STATES);
    if (!status) return "ignored: not a status message";
    const i = await incidentOfChannel(deps.db, channel);
    if (!i) return "ignored: not an incident channel";
    if (i.state === "resolved") return "ignored: the incident is resolved";
    const to = status.state as IncidentState | null;
    const move = to !== null && incidentTransition(i.state as IncidentState, to).ok;
    const out = await applyIncidentUpdate({
      db: deps.db,
      actor: null,
      current: i,
      by: await deps.author(str(e.user)),
      input: {
        message: status.message.slice(0, MAX_TEXT),
        public: false,
        ...(move ? { state: to! } : {}),
      },
      nowMs: deps.nowMs,
      source: {
        key: `status:${channel}:${ts}`,
        detail: { via: "slack", channel, ts, user: str(e.user), asked: status.state },
      },
    });
    if (!out) return "already recorded";
    await syncChannelSoon(deps.enqueue, out);
    return move ? `state ${to}` : "update";
  }
  return "ignored";
}

/** The JSON body of an Events API request, or a 400 naming what is wrong. */
export function parseEventBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ValidationError("body: not valid JSON (Slack's Events API sends application/json)");
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ValidationError("body: an object with a 'type' is expected");
  return body as Record<string, unknown>;
}

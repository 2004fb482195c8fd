import { createSlackSender } from "@burnrate/slack";
import { fakeUserId } from "@burnrate/slack/testing";
import { MINUTE_MS } from "@burnrate/slo-core";
import {
  createIncidentChannelJob,
  createIncidentChannelSweepJob,
  syncIncidentChannel,
} from "@burnrate/worker/incident-channel";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyIncidentUpdate } from "../src/services/incidents/update-incident";
import { postInteraction, slackForm, slackSign } from "./alerting-helpers";
import { call, startStack, type Stack } from "./harness";

/**
 * An incident opened from a firing alert's Slack button gets its own channel (once, whatever runs twice or
 * loses an answer), with the on-call responder and the commander invited and a pinned summary kept up to date;
 * the channel is mirrored into the timeline (a message shortcut, a :pushpin: reaction, status messages); the
 * resolve gives detect, ack and recover times that match the events to the second. On a clock of the test's.
 */
const SECRET = "incident-channel-secret";
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
let clock = T0;
const ANN = "ann@example.com";
const IC = "ic@example.com";

describe("the incident's own Slack channel", () => {
  let stack: Stack;
  let sloId: string;
  const deps = () => ({
    db: stack.db,
    slack: createSlackSender({ token: "xoxb-worker", apiUrl: stack.slack.url }),
    publicUrl: "http://burnrate.test",
    now: () => clock,
    log: pino({ level: "silent" }),
  });
  const runJob = (incidentId: string) => createIncidentChannelJob(deps())({ incidentId, rev: clock });

  /** A signed interactivity callback at the test's clock. */
  const interact = async (payload: object) => {
    const body = slackForm(payload);
    const ts = Math.floor(clock / 1000);
    const r = await postInteraction(stack, body, { ts, signature: slackSign(SECRET, ts, body) });
    return { status: r.status, body: JSON.parse(r.body) as { text: string; response_type?: string } };
  };
  /** A signed Events API request at the test's clock (`skewSec` makes a retry's new signature). */
  const event = async (envelope: object, skewSec = 0, secret = SECRET) => {
    const body = JSON.stringify(envelope);
    const ts = Math.floor(clock / 1000) + skewSec;
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/slack/events",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": slackSign(secret, ts, body),
      },
      payload: body,
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any> };
  };
  let eventN = 0;
  const callback = (e: object) => ({
    type: "event_callback",
    event_id: `Ev${++eventN}`,
    team_id: "T1",
    event: e,
  });

  const alertFiredAt = async (firedAt: number) => {
    const a = await stack.db.alert.create({
      data: {
        sloId,
        regionKey: "prod-eu",
        state: "firing",
        severity: "page",
        priority: "P2",
        tiers: [],
        firedAt: new Date(firedAt),
      },
    });
    await stack.db.alertEvent.create({ data: { alertId: a.id, kind: "fired", at: new Date(firedAt) } });
    return a.id;
  };

  beforeAll(async () => {
    stack = await startStack({
      now: () => clock,
      apiEnv: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: "xoxb-api" },
    });
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" })).status).toBe(
      201,
    );
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "payments" });
    await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    for (const email of [ANN, IC])
      await call(stack, "POST", "/api/v1/users", {
        email,
        name: email.split("@")[0],
        password: "a long password",
      });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Checkout <!channel> & pay",
      sli: { type: "availability" },
      objectivePercent: 99.9,
    });
    expect(slo.status).toBe(201);
    sloId = slo.body!.id;
    const schedule = await call(stack, "POST", "/api/v1/schedules", {
      name: "Payments around the clock",
      team: "payments",
      timeZone: "UTC",
      rotation: { periodDays: 7, handoff: "00:00", start: "2026-01-01" },
      positions: ["main"],
      members: [ANN],
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
  });
  afterAll(async () => stack?.stop());

  it("opens from the alert's button, creates one channel, invites, pins, mirrors three kinds of entries and resolves with exact times", async () => {
    // Only the team's chosen severities get a channel; an incident from an alert has none set yet.
    const setting = await call(stack, "PUT", "/api/v1/teams/payments/incident-channels", {
      severities: ["critical", "unset"],
    });
    expect(setting.status, JSON.stringify(setting.body)).toBe(200);
    expect(setting.body!.teams).toEqual([{ team: "payments", severities: ["critical", "unset"] }]);

    const firedAt = T0 - 7 * MINUTE_MS - 13_000;
    const ackAt = T0 - 2 * MINUTE_MS - 5_000;
    const alertId = await alertFiredAt(firedAt);
    const ann = { id: fakeUserId(ANN), username: "ann", name: "ann", email: ANN };

    clock = ackAt;
    const ack = await interact({
      type: "block_actions",
      user: ann,
      actions: [{ action_id: "ack", value: alertId }],
    });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);

    clock = T0;
    const opened = await interact({
      type: "block_actions",
      user: ann,
      actions: [{ action_id: "open_incident", value: alertId }],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.response_type).toBe("ephemeral");
    expect(opened.body.text).toMatch(
      /^Opened incident \d+: Checkout &lt;!channel&gt; &amp; pay \(checkout · prod-eu\)/,
    );
    // A second click gets the same incident.
    clock = T0 + 3_000;
    const again = await interact({
      type: "block_actions",
      user: ann,
      actions: [{ action_id: "open_incident", value: alertId }],
    });
    expect(again.body.text).toMatch(/^Incident \d+ is already open for this alert/);
    const incidents = await stack.db.incident.findMany();
    expect(incidents).toHaveLength(1);
    const incident = incidents[0]!;
    expect(incident.createdBy).toBe(`ann (${ANN})`);
    // The API asked the worker for the channel: one job for this revision.
    const rev = incident.updatedAt.getTime();
    expect(await stack.queue.getJob(`incident-channel-${incident.id}-${rev}`)).toBeTruthy();

    // The job, twice in a row and twice at once: one channel.
    const first = await runJob(incident.id);
    expect(first).toMatchObject({ status: "ok", invited: 1 });
    await runJob(incident.id);
    await Promise.allSettled([runJob(incident.id), runJob(incident.id)]);
    const day = "20261206";
    const name = `inc-${day}-${incident.number}-checkout-checkout-channel-pay-checkout-prod-eu`;
    expect(stack.slack.created.map((c) => c.name)).toEqual([name]);
    expect(stack.slack.calls.filter((c) => c.method === "conversations.create")).toHaveLength(1);
    const channel = stack.slack.created[0]!.id;
    // Ann is on call for the team (and acknowledged): invited once.
    expect([...stack.slack.members.get(channel)!]).toEqual([stack.slack.botUser, fakeUserId(ANN)]);
    expect(stack.slack.calls.filter((c) => c.method === "conversations.invite")).toHaveLength(1);
    // The summary: posted once and pinned.
    const summaries = stack.slack.topLevel(channel);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.text).toMatch(
      /^:mag: Incident \d+ \(investigating\): Checkout &lt;!channel&gt; &amp; pay/,
    );
    expect([...stack.slack.pins.get(channel)!]).toEqual([summaries[0]!.ts]);

    // Priority, severity and the commander change: the commander is invited and the summary updated in place.
    clock = T0 + 4 * MINUTE_MS;
    const up = await call(stack, "POST", `/api/v1/incidents/${incident.id}/updates`, {
      message: "Coordinating from the channel",
      priority: "P1",
      severity: "critical",
      roles: { commander: IC },
    });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(
      await stack.queue.getJob(`incident-channel-${incident.id}-${Date.parse(up.body!.updatedAt)}`),
    ).toBeTruthy();
    await runJob(incident.id);
    expect(stack.slack.members.get(channel)!.has(fakeUserId(IC))).toBe(true);
    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    expect(summaries[0]!.updates).toBe(1);
    const shown = JSON.stringify(summaries[0]!.blocks);
    expect(shown).toContain("P1");
    expect(shown).toContain(IC);

    // 1. The message shortcut "Add to incident timeline", used twice on the same message: one entry.
    clock = T0 + 6 * MINUTE_MS;
    const note = stack.slack.personPosts(channel, "Error rate up since 4.2.1 went out", fakeUserId(ANN));
    const shortcut = {
      type: "message_action",
      callback_id: "add_to_incident_timeline",
      channel: { id: channel },
      message: { ts: note, text: "Error rate up since 4.2.1 went out", user: fakeUserId(ANN) },
      user: ann,
    };
    expect((await interact(shortcut)).body.text).toBe(
      `Added to the timeline of incident ${incident.number}.`,
    );
    clock += 1_000;
    expect((await interact(shortcut)).body.text).toBe(
      `Already on the timeline of incident ${incident.number}.`,
    );

    // 2. A :pushpin: reaction (Slack delivering the event again changes nothing).
    clock = T0 + 8 * MINUTE_MS;
    const graph = stack.slack.personPosts(channel, "p99 graph: https://grafana.example/d/x", fakeUserId(IC));
    const pin = callback({
      type: "reaction_added",
      user: fakeUserId(IC),
      reaction: "pushpin",
      item: { type: "message", channel, ts: graph },
    });
    expect((await event(pin)).body).toEqual({ ok: true, result: "pinned" });
    expect((await event(pin, 1)).body).toEqual({ ok: true, result: "already pinned" });
    const otherEmoji = callback({
      type: "reaction_added",
      user: fakeUserId(IC),
      reaction: "tada",
      item: { type: "message", channel, ts: graph },
    });
    expect((await event(otherEmoji)).body.result).toBe("ignored");
    // A reply in a thread: Slack's event names no thread, and the timeline still gets the reply's own words.
    clock = T0 + 9 * MINUTE_MS;
    const reply = stack.slack.personPosts(
      channel,
      "same spike in eu-west, see thread",
      fakeUserId(ANN),
      graph,
    );
    const pinReply = callback({
      type: "reaction_added",
      user: fakeUserId(IC),
      reaction: "round_pushpin",
      item: { type: "message", channel, ts: reply },
    });
    expect((await event(pinReply)).body).toEqual({ ok: true, result: "pinned" });

    // 3. Status messages written in the channel move the incident.
    clock = T0 + 10 * MINUTE_MS;
    const identified = callback({
      type: "message",
      channel,
      user: fakeUserId(ANN),
      text: "status identified: a bad config in 4.2.1",
      ts: stack.slack.personPosts(channel, "status identified: a bad config in 4.2.1", fakeUserId(ANN)),
    });
    expect((await event(identified)).body).toEqual({ ok: true, result: "state identified" });
    expect((await event(identified, 2)).body).toEqual({ ok: true, result: "already recorded" });
    // Chatter and our own posts are not status messages.
    const chatter = callback({ type: "message", channel, user: fakeUserId(ANN), text: "looking", ts: "1.1" });
    expect((await event(chatter)).body.result).toBe("ignored: not a status message");
    const ours = callback({ type: "message", channel, bot_id: "B1", text: "status resolved", ts: "1.2" });
    expect((await event(ours)).body.result).toBe("ignored");

    const resolvedAt = T0 + 51 * MINUTE_MS + 7_000;
    clock = resolvedAt;
    const resolved = callback({
      type: "message",
      channel,
      user: fakeUserId(IC),
      text: "status resolved - rolled back to 4.2.0",
      ts: stack.slack.personPosts(channel, "status resolved - rolled back to 4.2.0", fakeUserId(IC)),
    });
    expect((await event(resolved)).body).toEqual({ ok: true, result: "state resolved" });

    // The times match the events to the second.
    const got = await call(stack, "GET", `/api/v1/incidents/${incident.id}`);
    expect(got.status).toBe(200);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(got.body).toMatchObject({
      state: "resolved",
      priority: "P1",
      severity: "critical",
      detectedAt: iso(firedAt),
      acknowledgedAt: iso(ackAt),
      resolvedAt: iso(resolvedAt),
      ttdMinutes: 0,
      ttaMinutes: (ackAt - firedAt) / MINUTE_MS,
      ttrMinutes: (resolvedAt - firedAt) / MINUTE_MS,
      channel: { name, id: channel, invited: [ANN, IC], error: null },
    });
    const row = await stack.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect([row.detectedAt.getTime(), row.acknowledgedAt!.getTime(), row.resolvedAt!.getTime()]).toEqual([
      firedAt,
      ackAt,
      resolvedAt,
    ]);

    // The timeline holds the three mirrored kinds, with their text and who wrote them.
    type Entry = { kind: string; at: string; message: string | null; author: string | null; detail?: any };
    const timeline = got.body!.timeline as Entry[];
    const mirrored = timeline.filter((e) => e.kind.startsWith("slack_") || e.detail?.via === "slack");
    expect(mirrored.map((e) => [e.kind, e.at, e.message, e.author])).toEqual([
      ["slack_channel", iso(T0 + 3_000), `#${name}`, "burnrate"],
      ["slack_message", iso(T0 + 6 * MINUTE_MS), "Error rate up since 4.2.1 went out", `ann (${ANN})`],
      ["slack_pin", iso(T0 + 8 * MINUTE_MS), "p99 graph: https://grafana.example/d/x", `ic (${IC})`],
      ["slack_pin", iso(T0 + 9 * MINUTE_MS), "same spike in eu-west, see thread", `ic (${IC})`],
      ["update", iso(T0 + 10 * MINUTE_MS), "a bad config in 4.2.1", `ann (${ANN})`],
      ["update", iso(resolvedAt), "rolled back to 4.2.0", `ic (${IC})`],
    ]);
    expect(timeline.filter((e) => e.kind === "state").map((e) => [e.at, e.detail])).toEqual([
      [iso(T0 + 10 * MINUTE_MS), { from: "investigating", to: "identified" }],
      [iso(resolvedAt), { from: "identified", to: "resolved" }],
    ]);

    // The summary follows the resolve; the sweep then finds nothing to do.
    await runJob(incident.id);
    expect(summaries[0]!.text.startsWith(":white_check_mark: Incident")).toBe(true);
    expect(JSON.stringify(summaries[0]!.blocks)).toContain("time to recovery 58 min"); // 8:52:47 → 9:51:07
    const callsBefore = stack.slack.calls.length;
    await createIncidentChannelSweepJob(deps())();
    expect(stack.slack.calls.slice(callsBefore).map((c) => c.method)).toEqual([]);
    expect(stack.slack.created).toHaveLength(1);
  });

  it("a lost answer to conversations.create, a crash before the record, and a name someone took: still one channel each", async () => {
    await call(stack, "PUT", "/api/v1/settings/incident-channels", { severities: ["critical"] });
    clock = T0 + 2 * 60 * MINUTE_MS;
    const open = async (title: string, severity: string) => {
      const r = await call(stack, "POST", "/api/v1/incidents", { title, services: ["checkout"], severity });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; number: number };
    };
    const before = stack.slack.created.length;

    // Slack made the channel but the answer was lost: the retry finds it by name (ours, made after the row).
    const lost = await open("Lost answer", "critical");
    stack.slack.loseNextAnswers("conversations.create");
    await expect(runJob(lost.id)).rejects.toThrow();
    expect(stack.slack.created.length).toBe(before + 1);
    // The sweep leaves a channel that just failed alone for a while; its own job does not wait.
    const failed = await stack.db.incidentChannel.findUniqueOrThrow({ where: { incidentId: lost.id } });
    expect(failed.error).not.toBeNull();
    const createsBefore = stack.slack.calls.filter((c) => c.method === "conversations.create").length;
    await createIncidentChannelSweepJob(deps())();
    expect(stack.slack.calls.filter((c) => c.method === "conversations.create")).toHaveLength(createsBefore);
    expect(await runJob(lost.id)).toMatchObject({ status: "ok" });
    const lostRow = await stack.db.incidentChannel.findUniqueOrThrow({ where: { incidentId: lost.id } });
    expect(stack.slack.created.length).toBe(before + 1);
    expect(lostRow.channelId).toBe(stack.slack.created.at(-1)!.id);
    expect(lostRow.name).toBe(`inc-20261206-${lost.number}-checkout-lost-answer`);

    // A worker died between Slack's answer and the record, holding the lease: after it, one channel.
    const crash = await open("Crash before record", "critical");
    const d = deps();
    const dying = {
      ...d,
      slack: {
        ...d.slack,
        createChannel: async (n: string) => {
          await d.slack.createChannel(n);
          throw new Error("worker killed");
        },
      },
    };
    await expect(syncIncidentChannel(dying, crash.id)).rejects.toThrow("worker killed");
    await stack.db.incidentChannel.update({
      where: { incidentId: crash.id },
      data: { leaseUntil: new Date(clock + MINUTE_MS) },
    });
    expect(await syncIncidentChannel(d, crash.id)).toEqual({ status: "busy" });
    clock += 2 * MINUTE_MS;
    expect(await syncIncidentChannel(d, crash.id)).toMatchObject({ status: "ok" });
    const crashName = `inc-20261206-${crash.number}-checkout-crash-before-record`;
    expect(stack.slack.created.filter((c) => c.name.startsWith(crashName))).toHaveLength(1);

    // Someone already has the name: the channel gets a suffix.
    const taken = await open("Name taken", "critical");
    const takenName = `inc-20261206-${taken.number}-checkout-name-taken`;
    stack.slack.takeChannelName(takenName);
    expect(await runJob(taken.id)).toMatchObject({ status: "ok", channel: `${takenName}-2` });
    expect(stack.slack.created.filter((c) => c.name.startsWith(takenName)).map((c) => c.name)).toEqual([
      takenName,
      `${takenName}-2`,
    ]);

    // Two people click Open incident on the same alert at once: one incident.
    const alertId = await alertFiredAt(clock - MINUTE_MS);
    const click = (user: string) =>
      interact({
        type: "block_actions",
        user: { id: user, username: user },
        actions: [{ action_id: "open_incident", value: alertId }],
      });
    const answers = await Promise.all([click("U1"), click("U2")]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.filter((a) => a.body.text.startsWith("Opened incident"))).toHaveLength(1);
    expect(await stack.db.incidentAlert.count({ where: { alertId } })).toBe(1);

    // A severity the org did not choose: no channel, until it becomes critical.
    const minor = await open("Minor glitch", "warning");
    expect(await runJob(minor.id)).toEqual({ status: "not_needed" });
    expect(await stack.db.incidentChannel.count({ where: { incidentId: minor.id } })).toBe(0);
    await call(stack, "POST", `/api/v1/incidents/${minor.id}/updates`, {
      message: "worse",
      severity: "critical",
    });
    expect(await runJob(minor.id)).toMatchObject({
      status: "ok",
      channel: `inc-20261206-${minor.number}-checkout-minor-glitch`,
    });
  });

  it("the Events API: url_verification, and forged, stale or malformed requests get 4xx", async () => {
    clock = T0 + 5 * 60 * MINUTE_MS;
    expect((await event({ type: "url_verification", challenge: "abc123", token: "x" })).body).toEqual({
      challenge: "abc123",
    });
    expect((await event({ type: "url_verification", challenge: "x" }, 0, "wrong-secret")).status).toBe(401);
    expect((await event({ type: "url_verification", challenge: "x" }, -600)).status).toBe(401);
    expect((await event({ type: "event_callback", event: "nope" })).status).toBe(400);
    const nul = await event(
      callback({ type: "message", channel: "C1", text: "status resolved \u0000", ts: "1.3" }),
    );
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toContain("body.event.text");
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/slack/events",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(Math.floor(clock / 1000)),
        "x-slack-signature": slackSign(SECRET, Math.floor(clock / 1000), "{not json"),
      },
      payload: "{not json",
    });
    expect(res.statusCode).toBe(400);
    // A shortcut outside an incident channel adds nothing.
    const r = await interact({
      type: "message_action",
      callback_id: "add_to_incident_timeline",
      channel: { id: "CELSEWHERE" },
      message: { ts: "1.5", text: "hi" },
      user: { id: "U1", username: "x" },
    });
    expect(r.body.text).toBe("This channel is not an incident's channel: nothing was added.");
    // A status message that loses the race with another update is not remembered as done: Slack's retry counts.
    const inc = await stack.db.incident.findFirstOrThrow({ where: { state: { not: "resolved" } } });
    const stale = { ...inc, updatedAt: new Date(inc.updatedAt.getTime() - 1) };
    const write = (current: typeof inc) =>
      applyIncidentUpdate({
        db: stack.db,
        actor: null,
        current,
        by: "@someone",
        input: { message: "looking", public: false },
        nowMs: clock,
        source: { key: "status:CX:9.9", detail: { via: "slack" } },
      });
    await expect(write(stale)).rejects.toThrow(/changed while you updated it/);
    expect(await stack.db.incidentSlackEntry.count({ where: { key: "status:CX:9.9" } })).toBe(0);
    expect(await write(inc)).not.toBeNull();
    expect(await write(inc)).toBeNull();
    expect(stack.statuses.some((s) => s >= 500)).toBe(false);
  });
});

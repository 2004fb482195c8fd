import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSlackSender,
  retrySlack,
  slackErrorCode,
  slackFailureReason,
  slackRetryAfterSec,
  type SlackSender,
} from "./sender";
import { FakeSlack } from "./testing/fake-slack";

/** The sender against the fake Slack Web API on loopback (an HTTP boundary; no other fake). */
describe("Slack sender: no blind retries, messages found again by the keys in their metadata", () => {
  const slack = new FakeSlack();
  let sender: SlackSender;
  beforeAll(async () => {
    sender = createSlackSender({ token: "xoxb-unit", apiUrl: await slack.start() });
  });
  afterAll(() => slack.stop());

  it("a post whose answer is lost is stored once and fails (the client does not post it again)", async () => {
    slack.loseNextAnswers("chat.postMessage");
    const before = slack.messages.length;
    const err = await sender.post({ channel: "#u1", text: "hi", key: "a1:e1", alert: "a1" }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(slackFailureReason(err)).toBe("request_error");
    expect(slack.messages.length - before).toBe(1);
    expect(slack.calls.filter((c) => c.method === "chat.postMessage")).toHaveLength(1);
    // … and it is found by the alert's id, with the key it was posted with.
    expect(await sender.findAlertMessage({ channel: "#u1", alert: "a1", oldestMs: 0 })).toEqual({
      ts: slack.messages.at(-1)!.ts,
      key: "a1:e1",
    });
  });

  it("a 500 and a rate limit reach the caller at once; retrySlack retries them, telling fn it retries", async () => {
    slack.failNext("chat.postMessage", { error: "ratelimited", status: 429, retryAfterSec: 1 });
    const rl = await sender.post({ channel: "#u2", text: "x", key: "k" }).catch((e) => e);
    expect(slackErrorCode(rl)).toBe("ratelimited");
    expect(slackRetryAfterSec(rl)).toBe(1);
    slack.failNext("chat.update", { error: "internal_error", status: 500, times: 2 });
    const seen: boolean[] = [];
    const posted = await sender.post({ channel: "#u2", text: "x", key: "k2" });
    await retrySlack(
      async (retry) => {
        seen.push(retry);
        await sender.update({ channel: "#u2", ts: posted.ts, text: "y" });
      },
      { baseMs: 1 },
    );
    expect(seen).toEqual([false, true, true]);
    expect(slack.messages.find((m) => m.ts === posted.ts)!.text).toBe("y");
    // A permanent error is not retried.
    slack.failNext("chat.postMessage", { error: "channel_not_found" });
    let calls = 0;
    const perm = await retrySlack(async () => {
      calls++;
      return sender.post({ channel: "#u2", text: "z", key: "k3" });
    }).catch((e) => e);
    expect(slackErrorCode(perm)).toBe("channel_not_found");
    expect(calls).toBe(1);
  });

  it("finds the oldest top-level message of an alert across pages of history, and replies by key", async () => {
    const channel = "#u3";
    const first = await sender.post({ channel, text: "alert", key: "a3:e1", alert: "a3" });
    // A later duplicate (from before the fix) and 450 other messages: three pages of 200.
    await sender.post({ channel, text: "dup", key: "a3:e2", alert: "a3" });
    const sec = first.ts.split(".")[0];
    for (let i = 0; i < 450; i++)
      slack.messages.push({
        channel,
        ts: `${sec}.${String(500_000 + i)}`,
        text: `other ${i}`,
        blocks: null,
        threadTs: null,
        metadata: { event_type: "burnrate_alert", event_payload: { key: `b${i}:e`, alert: `b${i}` } },
        updates: 0,
      });
    const reply = await sender.post({ channel, text: "ack", key: "a3:e3", threadTs: first.ts });
    const found = await sender.findAlertMessage({ channel, alert: "a3", oldestMs: 0 });
    expect(found).toEqual({ ts: first.ts, key: "a3:e1" });
    const history = slack.calls.filter(
      (c) => c.method === "conversations.history" && c.body.channel === channel,
    );
    expect(history.length).toBe(3);
    // A reply is not a top-level message.
    expect(await sender.findAlertMessage({ channel, alert: "nope", oldestMs: 0 })).toBeNull();
    expect(await sender.findByKey({ channel, key: "a3:e3", oldestMs: 0, threadTs: first.ts })).toBe(reply.ts);
    expect(await sender.findByKey({ channel, key: "a3:e9", oldestMs: 0, threadTs: first.ts })).toBeNull();
  });

  it("history shows metadata only with include_all_metadata, and oldest is exclusive", async () => {
    const channel = "#u4";
    const m = await sender.post({ channel, text: "m", key: "a4:e1", alert: "a4" });
    const res = async (body: Record<string, string>) =>
      (await (
        await fetch(`${slack.url}conversations.history`, {
          method: "POST",
          headers: { authorization: "Bearer x", "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ channel, ...body }),
        })
      ).json()) as { messages: { ts: string; metadata?: unknown }[] };
    expect((await res({})).messages[0]).not.toHaveProperty("metadata");
    expect((await res({ include_all_metadata: "true" })).messages[0]!.metadata).toEqual({
      event_type: "burnrate_alert",
      event_payload: { key: "a4:e1", alert: "a4" },
    });
    expect((await res({ oldest: m.ts })).messages).toHaveLength(0);
    expect((await res({ oldest: m.ts, inclusive: "true" })).messages).toHaveLength(1);
  });
});

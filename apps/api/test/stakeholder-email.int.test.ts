import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

/**
 * A stakeholder ring's email addresses are told through SMTP with the words its Slack channel gets, once per
 * message × address, and a transient SMTP refusal (421) is tried again by the next run.
 */
const T0 = Date.UTC(2020, 11, 1, 15, 0, 0);
let clock = T0;

/** The text part of a raw MIME message (quoted-printable or plain). */
function textPart(raw: string): string {
  const part = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)(?:\r?\n--|$)/i.exec(raw)?.[1] ?? raw;
  const bytes = part.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, "%25"))
    .replace(/\r\n/g, "\n")
    .trim();
}

describe("stakeholder email", () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 500, now: () => clock, smtpUrl: sink.url });
    await call(stack, "POST", "/api/v1/teams", { slug: "pos", name: "Point of sale" });
    await call(stack, "POST", "/api/v1/services", { slug: "upload", name: "Upload", team: "pos" });
    const ring = await call(stack, "POST", "/api/v1/stakeholder-rings", {
      number: 1,
      name: "Product management",
      slackChannels: ["#pm-incidents"],
      emails: ["PM@example.com", "po@example.com"],
    });
    expect(ring.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  it("sends the bracket message by email with the Slack message's words, once per address, after a 421", async () => {
    const inc = await call(stack, "POST", "/api/v1/incidents", {
      title: "Showcase devices stopped uploading",
      services: ["upload"],
      products: ["showcase"],
    });
    const id = inc.body!.id as string;
    sink.refuseNext(1, 421);
    const first = await call(stack, "POST", `/api/v1/incidents/${id}/notifications`, {
      ring: 1,
      kind: "first",
      message: "Uploads from showcase devices stopped at 14:40 UTC.",
      nextUpdateInMinutes: 240,
    });
    expect(first.status).toBe(201);
    const slack = await waitFor(
      "the Slack message",
      async () => stack.slack.topLevel("pm-incidents")[0],
      30_000,
    );
    await waitFor("both emails", async () => sink.mails.length >= 2, 30_000);
    clock = T0 + MINUTE_MS;
    await new Promise((r) => setTimeout(r, 2500));
    expect(sink.refused()).toBe(1);
    expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(["pm@example.com", "po@example.com"]);
    for (const m of sink.mails) {
      expect(textPart(m.body)).toBe(slack.text);
      expect(m.messageId).toContain(`stakeholder-${first.body!.id}-email-`);
    }
    expect(slack.text).toContain("First message on incident");
    expect(slack.text).toContain("Next update by 2020-12-01 19:00 UTC.");
    const rows = await stack.db.emailDelivery.findMany({ where: { kind: "stakeholder" } });
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 2]);
  });

  it("does not try again after a permanent refusal (550)", async () => {
    const inc = await call(stack, "POST", "/api/v1/incidents", {
      title: "Receipts are not printed",
      services: ["upload"],
    });
    const before = sink.mails.length;
    sink.refuseNext(1, 550);
    const first = await call(stack, "POST", `/api/v1/incidents/${inc.body!.id as string}/notifications`, {
      ring: 1,
      kind: "first",
      message: "Receipts fail at every till.",
      nextUpdateInMinutes: 60,
    });
    expect(first.status).toBe(201);
    const key = `stakeholder-${first.body!.id as string}-email-`;
    await waitFor(
      "both deliveries settled",
      async () => {
        const rows = await stack.db.emailDelivery.findMany({
          where: { idempotencyKey: { startsWith: key } },
        });
        return (
          rows.length === 2 && rows.every((r) => r.status !== "pending" && r.status !== "sending") && rows
        );
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 2500));
    const rows = await stack.db.emailDelivery.findMany({ where: { idempotencyKey: { startsWith: key } } });
    expect(rows.map((r) => [r.status, r.attempts]).sort()).toEqual([
      ["failed", 1],
      ["sent", 1],
    ]);
    expect(rows.find((r) => r.status === "failed")!.error).toContain("550");
    expect(sink.mails.length - before).toBe(1);
    expect(sink.refused()).toBe(2);
  });
});

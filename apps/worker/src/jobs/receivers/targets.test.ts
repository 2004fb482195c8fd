import { AlertingSpec } from "@burnrate/contracts";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { severityChannel } from "../dispatch/deliver-event";
import { receiverCall, receiverEventType, signWebhook, type ReceiverAlert } from "./targets";

const alert: ReceiverAlert = {
  id: "6f1c0d5e-1111-4222-8333-944455556666",
  kind: "burn_rate",
  state: "firing",
  severity: "ticket",
  priority: "P3",
  slo: { id: "slo-1", name: "Checkout availability" },
  service: "checkout",
  team: "payments",
  region: "prod-eu",
  runbookUrl: null,
  url: "http://burnrate.test/slos/slo-1?region=prod-eu",
  firedAt: new Date("2026-01-01T10:00:00Z"),
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
};
const ev = (type: Parameters<typeof receiverCall>[2]["type"]) => ({
  id: "ev-1",
  type,
  occurredAt: new Date("2026-01-01T10:00:00Z"),
});
const NOW = Date.parse("2026-01-01T10:00:05Z");

describe("receiver calls", () => {
  it("maps alert events to receiver events (others are not sent)", () => {
    expect(
      ["fired", "acknowledged", "resolved", "escalated", "snoozed", "refired"].map(receiverEventType),
    ).toEqual(["alert.firing", "alert.acknowledged", "alert.resolved", "alert.escalated", null, null]);
  });

  it("signs a webhook with HMAC-SHA256 over `${t}.${body}`", () => {
    const sig = signWebhook("whsec_x", '{"a":1}', 1_700_000_000);
    const v1 = createHmac("sha256", "whsec_x").update('1700000000.{"a":1}').digest("hex");
    expect(sig).toBe(`t=1700000000,v1=${v1}`);
    const call = receiverCall(
      { kind: "webhook", url: "http://h.test/x", secret: "whsec_x" },
      alert,
      ev("alert.firing"),
      NOW,
    )!;
    expect(call.headers["burnrate-signature"]).toBe(
      signWebhook("whsec_x", call.body, Math.floor(NOW / 1000)),
    );
    expect(JSON.parse(call.body)).toMatchObject({
      id: "ev-1",
      type: "alert.firing",
      alert: { id: alert.id },
    });
  });

  it("PagerDuty: trigger with the severity mapped, acknowledge and resolve by dedup_key; nothing for an escalation", () => {
    const pd = { kind: "pagerduty", url: null, secret: "rk" };
    const trigger = JSON.parse(receiverCall(pd, alert, ev("alert.firing"), NOW)!.body);
    expect(trigger).toMatchObject({ routing_key: "rk", event_action: "trigger", dedup_key: alert.id });
    expect(trigger.payload.severity).toBe("warning");
    expect(receiverCall(pd, alert, ev("alert.firing"), NOW)!.url).toBe(
      "https://events.pagerduty.com/v2/enqueue",
    );
    const resolve = JSON.parse(receiverCall(pd, alert, ev("alert.resolved"), NOW)!.body);
    expect(resolve).toEqual({ routing_key: "rk", event_action: "resolve", dedup_key: alert.id });
    expect(receiverCall(pd, alert, ev("alert.escalated"), NOW)).toBeNull();
  });

  it("Alertmanager: the same labels firing and resolved, endsAt only on resolve; no call for an ack", () => {
    const am = { kind: "alertmanager", url: "http://am.test:9093/", secret: null };
    const firing = receiverCall(am, alert, ev("alert.firing"), NOW)!;
    expect(firing.url).toBe("http://am.test:9093/api/v2/alerts");
    const [f] = JSON.parse(firing.body);
    expect(f.endsAt).toBeUndefined();
    const [r] = JSON.parse(receiverCall(am, alert, ev("alert.resolved"), NOW)!.body);
    expect(r.labels).toEqual(f.labels);
    expect(r.endsAt).toBe(new Date(NOW).toISOString());
    expect(receiverCall(am, alert, ev("alert.acknowledged"), NOW)).toBeNull();
  });

  it("Opsgenie: GenieKey header, create with alias, close by alias", () => {
    const og = { kind: "opsgenie", url: null, secret: "key" };
    const create = receiverCall(og, alert, ev("alert.firing"), NOW)!;
    expect(create.url).toBe("https://api.opsgenie.com/v2/alerts");
    expect(create.headers.authorization).toBe("GenieKey key");
    expect(JSON.parse(create.body)).toMatchObject({ alias: alert.id, priority: "P3" });
    expect(receiverCall(og, alert, ev("alert.resolved"), NOW)!.url).toBe(
      `https://api.opsgenie.com/v2/alerts/${alert.id}/close?identifierType=alias`,
    );
  });
});

describe("a Slack channel per severity", () => {
  it("the alerting spec takes slackChannels and refuses a bad channel", () => {
    expect(AlertingSpec.safeParse({ slackChannels: { page: "#payments-oncall" } }).success).toBe(true);
    const bad = AlertingSpec.safeParse({ slackChannels: { page: "not a channel!" } });
    expect(bad.success).toBe(false);
    expect(AlertingSpec.safeParse({ slackChannels: { urgent: "#x" } }).success).toBe(false);
  });

  it("picks the SLO's channel for the alert's severity, else none", () => {
    const alerting = { slackChannels: { page: "#payments-oncall" } };
    expect(severityChannel(alerting, "page")).toBe("#payments-oncall");
    expect(severityChannel(alerting, "ticket")).toBeNull();
    expect(severityChannel(null, "page")).toBeNull();
  });
});

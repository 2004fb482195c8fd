import type { AlertResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { alertPriority, describeEvent, openElsewhere, pickAlert } from "./on-call";

const alert = (id: string, state: AlertResponse["state"], region: string | null, firedAt: string) =>
  ({
    id,
    sloId: "s",
    sloName: "Cart",
    service: "checkout",
    region,
    kind: "burn_rate",
    state,
    severity: "page",
    priority: null,
    firedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    snoozedUntil: null,
    resolvedAt: null,
    slack: { channel: null, ts: null, error: null },
  }) satisfies AlertResponse;

describe("pickAlert", () => {
  const alerts = [
    alert("old-eu", "resolved", "prod-eu", "2026-12-01T10:00:00Z"),
    alert("ack-eu", "acknowledged", "prod-eu", "2026-12-05T10:00:00Z"),
    alert("fire-us", "firing", "prod-us", "2026-12-04T10:00:00Z"),
    alert("new-jp", "resolved", "prod-jp", "2026-12-05T11:00:00Z"),
  ];
  it.each([
    { region: null, id: "fire-us", why: "any region: firing before acknowledged" },
    { region: "prod-eu", id: "ack-eu", why: "open before resolved" },
    { region: "prod-jp", id: "new-jp", why: "no open one: the latest" },
    { region: "prod-br", id: null, why: "none in the region" },
  ])("$region -> $id ($why)", ({ region, id }) => {
    expect(pickAlert(alerts, region)?.id ?? null).toBe(id);
  });

  it("openElsewhere lists the other open alerts", () => {
    expect(openElsewhere(alerts, alerts[1]!).map((a) => a.id)).toEqual(["fire-us"]);
  });
});

describe("alertPriority", () => {
  it("is the alert's own, else the SLO's", () => {
    const a = alert("a", "firing", null, "2026-12-05T10:00:00Z");
    expect(alertPriority(a, "P2")).toBe("P2");
    expect(alertPriority({ ...a, priority: "P1" }, "P2")).toBe("P1");
    expect(alertPriority(a, null)).toBeNull();
  });
});

describe("describeEvent", () => {
  const at = "2026-12-05T10:00:00Z";
  it.each([
    { kind: "fired", detail: { severity: "page", tiers: ["fast-page"] }, text: "fired as page (fast-page)" },
    { kind: "escalated", detail: { severity: "page" }, text: "escalated to page" },
    { kind: "acknowledged", detail: { by: "ana@example.com" }, text: "acknowledged by ana@example.com" },
    { kind: "snoozed", detail: { by: "ana", minutes: 120 }, text: "snoozed for 2 h by ana" },
    { kind: "snoozed", detail: { minutes: 45 }, text: "snoozed for 45 min" },
    { kind: "resolved", detail: null, text: "resolved" },
    { kind: "no_data", detail: {}, text: "no data" },
    {
      kind: "notified",
      detail: { step: 1, pass: 0, target: "user:ann@example.com", channel: "slack_dm" },
      text: "step 2: paged ann@example.com by Slack DM",
    },
    {
      kind: "notified",
      detail: { step: 0, pass: 2, target: "thread", channel: "slack_thread" },
      text: "step 1 (repeat 2): paged the on-call people by a mention in the thread",
    },
    {
      kind: "notification_failed",
      detail: { step: 0, pass: 0, target: "user:ben@example.com", channel: "email", error: "smtp 550" },
      text: "step 1: email to ben@example.com failed (smtp 550)",
    },
    {
      kind: "escalation_step_empty",
      detail: { step: 2, pass: 0 },
      text: "escalation step 3 named nobody on call: next step",
    },
  ])("$kind -> $text", ({ kind, detail, text }) => {
    expect(describeEvent({ kind, at, detail })).toBe(text);
  });
});

import { DEFAULT_NO_DATA_MINUTES } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { renderAlertMessage, renderEventReply, type AlertMessageInput } from "./render-alert";

const base: AlertMessageInput = {
  alertId: "5f0c6a52-2f7e-4c1e-9a51-0d1b2c3d4e5f",
  state: "firing",
  severity: "page",
  priority: { value: "P2", derived: true },
  service: { slug: "checkout", name: "Checkout" },
  endpoint: "GET /cart",
  region: "prod-eu",
  sloName: "Cart availability",
  sentence: "99.9% of GET /cart requests succeed over 28 days",
  burn: { tier: "fast-page", window: "1h", burnRate: 200, factor: 13.44, budgetSpentInWindow: 0.2976 },
  budgetRemaining: 0.42,
  timeToExhaustionHours: 1.41,
  deployments: [
    { version: "v2.4.1", at: "2025-03-03T09:58:00.000Z", region: "prod-eu" },
    { version: "v2.4.0", at: "2025-03-02T16:00:00.000Z", region: null },
  ],
  sloUrl: "https://burnrate.example.com/slos/9d1e?region=prod-eu",
  runbookUrl: "https://runbooks.example.com/checkout",
  acknowledgedBy: null,
  snoozedUntil: null,
  firedAt: "2025-03-03T10:02:00.000Z",
};

/** Every text a person can read in the message, joined. */
function visibleText(blocks: unknown[]): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(blocks);
  return out.join("\n");
}

describe("the Slack alert message", () => {
  it("matches the snapshot of a firing page", () => {
    expect(renderAlertMessage(base)).toMatchSnapshot();
  });

  it("carries every field PRODUCT.md lists", () => {
    const { text, blocks } = renderAlertMessage(base);
    const all = visibleText(blocks);
    expect(text).toContain("Cart availability");
    // service, endpoint, region
    expect(all).toContain("Checkout (`checkout`)");
    expect(all).toContain("*Endpoint*\nGET /cart");
    expect(all).toContain("*Region*\nprod-eu");
    // the SLI and SLO in words
    expect(all).toContain("99.9% of GET /cart requests succeed over 28 days");
    // priority, and that it was derived
    expect(all).toContain("*Priority*\nP2 (derived from burn rate and budget left)");
    // how badly: burn rate and budget spent in the window
    expect(all).toContain("*Burn rate (1h)*\n200.0×");
    expect(all).toContain("*Budget spent in 1h*\n29.8%");
    // budget left and time to exhaustion
    expect(all).toContain("*Budget left this period*\n42.0%");
    expect(all).toContain("*Time to exhaustion*\n1.4 h");
    // the last deployments of that service and region
    expect(all).toContain(
      "`v2.4.1` at <!date^1740995880^{date_short_pretty} {time}|2025-03-03T09:58:00.000Z> in prod-eu",
    );
    expect(all).toContain("`v2.4.0`");
    // links to the SLO page and the runbook
    expect(all).toContain("<https://burnrate.example.com/slos/9d1e?region=prod-eu|SLO page>");
    expect(all).toContain("<https://runbooks.example.com/checkout|Runbook>");
    // buttons Acknowledge, Snooze 2 h, Open incident, Open
    const actions = blocks.find((b) => b.type === "actions") as {
      elements: { action_id: string; text: { text: string }; value?: string; url?: string }[];
    };
    expect(actions.elements.map((e) => [e.action_id, e.text.text])).toEqual([
      ["ack", "Acknowledge"],
      ["snooze", "Snooze 2 h"],
      ["open_incident", "Open incident"],
      ["open", "Open"],
    ]);
    expect(actions.elements[0]!.value).toBe(base.alertId);
    expect(actions.elements[1]!.value).toBe(base.alertId);
    expect(actions.elements[2]!.value).toBe(base.alertId);
    expect(actions.elements[3]!.url).toBe(base.sloUrl);
  });

  it("says when the priority is the SLO's own", () => {
    const all = visibleText(
      renderAlertMessage({ ...base, priority: { value: "P1", derived: false } }).blocks,
    );
    expect(all).toContain("*Priority*\nP1 (set on the SLO)");
    expect(all).not.toContain("derived from");
  });

  it("shows who acknowledged, drops the Acknowledge button, and keeps Snooze, Open incident and Open", () => {
    const m = renderAlertMessage({
      ...base,
      state: "acknowledged",
      acknowledgedBy: "Ada Lovelace (ada@example.com)",
    });
    expect(visibleText(m.blocks)).toContain(":eyes: Acknowledged by Ada Lovelace (ada@example.com)");
    const actions = m.blocks.find((b) => b.type === "actions") as { elements: { action_id: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(["snooze", "open_incident", "open"]);
    expect(m).toMatchSnapshot();
  });

  it("has no buttons once resolved, and a no-data alert says what is missing", () => {
    const resolved = renderAlertMessage({ ...base, state: "resolved" });
    expect(resolved.blocks.some((b) => b.type === "actions")).toBe(false);
    expect(resolved.text).toMatch(/^:white_check_mark: Resolved/);
    const noData = renderAlertMessage({
      ...base,
      kind: "no_data",
      severity: "ticket",
      noDataMinutes: 30,
      burn: { tier: "n/a", window: "1h", burnRate: null, factor: 0, budgetSpentInWindow: null },
    });
    expect(noData.text).toContain("has received no requests for 30 min");
    expect(visibleText(noData.blocks)).toContain("*No data:*");
    expect(noData).toMatchSnapshot();
  });

  it.each([
    { noDataMinutes: 15, shown: "15 min" },
    { noDataMinutes: undefined, shown: `${DEFAULT_NO_DATA_MINUTES} min` },
  ])("a no-data alert with noDataMinutes $noDataMinutes says $shown", ({ noDataMinutes, shown }) => {
    const m = renderAlertMessage({ ...base, kind: "no_data", severity: "ticket", noDataMinutes });
    expect(m.text).toContain(`has received no requests for ${shown}`);
    expect(visibleText(m.blocks)).toContain(`in scope for ${shown}`);
  });

  it.each([
    { exhaustion: "beyond_period", hours: 218_853.6, shown: "not within this period" },
    { exhaustion: "within_period", hours: 1.41, shown: "1.4 h" },
    { exhaustion: "exhausted", hours: 0, shown: "exhausted" },
  ] as const)("time to exhaustion $exhaustion reads $shown", ({ exhaustion, hours, shown }) => {
    const m = renderAlertMessage({ ...base, timeToExhaustionHours: hours, exhaustion });
    expect(visibleText(m.blocks)).toContain(`*Time to exhaustion*\n${shown}`);
  });

  it("keeps the header within Slack's 150-character limit", () => {
    const m = renderAlertMessage({ ...base, sloName: "x".repeat(300) });
    const header = m.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
  });

  it("writes a short thread reply per event", () => {
    expect(renderEventReply("escalated", { severity: "page" })).toBe(":arrow_double_up: Escalated to page");
    expect(renderEventReply("acknowledged", { by: "@ada" })).toBe(":eyes: Acknowledged by @ada");
    expect(renderEventReply("snoozed", { by: "@ada", minutes: 120 })).toBe(
      ":zzz: Snoozed for 120 min by @ada",
    );
    expect(renderEventReply("released", { reason: "silence ended", severity: "page" })).toContain(
      "silence ended",
    );
  });
});

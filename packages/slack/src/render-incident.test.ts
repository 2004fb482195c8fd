import { describe, expect, it } from "vitest";
import {
  channelSlug,
  incidentChannelName,
  parseStatusMessage,
  renderIncidentSummary,
  suffixedChannelName,
} from "./render-incident";
import { blockKitProblems } from "./testing/block-kit-rules";

const ALLOWED = /^[a-z0-9_-]{1,80}$/;
const at = new Date(Date.UTC(2026, 11, 6, 23, 59, 59));

describe("incidentChannelName", () => {
  it.each([
    [{ number: 42, service: "checkout", title: "Payments fail" }, "inc-20261206-42-checkout-payments-fail"],
    [{ number: 7, service: null, title: "" }, "inc-20261206-7"],
    [
      { number: 7, service: "Zürich-API", title: "Ärger über Café" },
      "inc-20261206-7-zurich-api-arger-uber-cafe",
    ],
    [
      { number: 3, service: "web", title: "<!channel> @here #general `rm -rf` ../../ 💥" },
      "inc-20261206-3-web-channel-here-general-rm-rf",
    ],
    [{ number: 9, service: "a__b", title: "___" }, "inc-20261206-9-a__b"],
  ])("%o → %s", (i, name) => {
    const n = incidentChannelName({ ...i, startedAt: at });
    expect(n).toBe(name);
    expect(n).toMatch(ALLOWED);
  });

  it("keeps the number and stays within 76 characters for a long title (room for a suffix)", () => {
    const n = incidentChannelName({
      number: 123456,
      startedAt: at,
      service: "s".repeat(60),
      title: "x ".repeat(200),
    });
    expect(n.startsWith("inc-20261206-123456-")).toBe(true);
    expect(n.length).toBeLessThanOrEqual(76);
    expect(n).toMatch(ALLOWED);
    expect(n.endsWith("-")).toBe(false);
  });

  it("uses the UTC date, whatever the hour", () => {
    const late = new Date(Date.UTC(2026, 0, 31, 23, 30));
    expect(incidentChannelName({ number: 1, startedAt: late, service: "x", title: "y" })).toBe(
      "inc-20260131-1-x-y",
    );
  });

  it("suffixes a taken name within 80 characters", () => {
    const base = "inc-20261206-1-" + "a".repeat(61);
    expect(suffixedChannelName(base, 1)).toBe(base);
    expect(suffixedChannelName("inc-20261206-1-x", 2)).toBe("inc-20261206-1-x-2");
    const long = suffixedChannelName(base, 123);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith("-123")).toBe(true);
  });

  it("slugs only allowed characters", () => {
    expect(channelSlug("  Hello, World!  ")).toBe("hello-world");
    expect(channelSlug("日本語")).toBe("");
  });
});

describe("renderIncidentSummary", () => {
  const base = {
    number: 42,
    title: "Checkout fails",
    state: "investigating",
    priority: "P1",
    severity: "critical",
    services: ["checkout"],
    regions: ["eu"],
    roles: { commander: "ic@example.com", communicationsLead: null, opsLead: null },
    startedAt: "2026-12-06T10:00:00.000Z",
    resolvedAt: null,
    ttrMinutes: null,
    url: "https://burnrate.example.com/incidents/1",
  };

  it("shows state, priority, severity and roles", () => {
    const m = renderIncidentSummary(base);
    expect(m.text).toBe(":mag: Incident 42 (investigating): Checkout fails");
    const all = JSON.stringify(m.blocks);
    for (const s of [
      "P1",
      "critical",
      "ic@example.com",
      "not assigned",
      "`checkout`",
      "Incident in Burnrate",
    ])
      expect(all).toContain(s);
    expect(blockKitProblems(m)).toEqual([]);
  });

  it("gives the time to recovery once resolved", () => {
    const m = renderIncidentSummary({
      ...base,
      state: "resolved",
      resolvedAt: "2026-12-06T10:51:00.000Z",
      ttrMinutes: 51,
    });
    expect(m.text.startsWith(":white_check_mark:")).toBe(true);
    expect(JSON.stringify(m.blocks)).toContain("time to recovery 51 min");
  });

  it("escapes a hostile title and keeps Block Kit's limits", () => {
    const m = renderIncidentSummary({
      ...base,
      title: "<!channel> & <https://evil|click> " + "x".repeat(300),
      roles: { commander: "<@U1>", communicationsLead: null, opsLead: null },
    });
    expect(m.text).not.toContain("<!channel>");
    expect(blockKitProblems(m)).toEqual([]);
  });
});

describe("parseStatusMessage", () => {
  const states = ["investigating", "identified", "monitoring", "resolved"];
  it.each([
    ["status identified a bad config push", { state: "identified", message: "a bad config push" }],
    ["Status: resolved - rolled back", { state: "resolved", message: "rolled back" }],
    ["status monitoring", { state: "monitoring", message: "monitoring" }],
    ["status still looking at the database", { state: null, message: "still looking at the database" }],
    ["the status is fine", null],
    ["status", null],
  ])("%s", (text, want) => expect(parseStatusMessage(text, states)).toEqual(want));
});

import { describe, expect, it } from "vitest";
import type { Severity } from "./alert-tier.js";
import {
  INITIAL_ALERT,
  ackAlert,
  highestFiringSeverity,
  nextAlertState,
  snoozeAlert,
  type AlertSnapshot,
} from "./alert-state.js";
import type { TierDecision } from "./decide-tier.js";
import { HOUR_MS } from "./time-units.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function firing(...severities: Severity[]): TierDecision[] {
  const all: TierDecision[] = [
    { tier: "fast-page", severity: "page", firing: false, longBurnRate: 0, shortBurnRate: 0, factor: 14.4 },
    { tier: "fast-ticket", severity: "ticket", firing: false, longBurnRate: 0, shortBurnRate: 0, factor: 3 },
  ];
  return all.map((d) => ({ ...d, firing: severities.includes(d.severity) }));
}

const snap = (over: Partial<AlertSnapshot>): AlertSnapshot => ({ ...INITIAL_ALERT, ...over });
const EARLIER = NOW - HOUR_MS;

describe("nextAlertState", () => {
  it.each([
    { name: "ok stays ok", prev: snap({}), fire: [], state: "ok", severity: null, notify: [] },
    {
      name: "ok → ticket fires",
      prev: snap({}),
      fire: ["ticket"],
      state: "firing",
      severity: "ticket",
      notify: ["fired"],
    },
    {
      name: "ok → page and ticket fire: highest tier",
      prev: snap({}),
      fire: ["ticket", "page"],
      state: "firing",
      severity: "page",
      notify: ["fired"],
    },
    {
      name: "ticket → page escalates the same alert",
      prev: snap({ state: "firing", severity: "ticket", firedAtMs: EARLIER }),
      fire: ["page", "ticket"],
      state: "firing",
      severity: "page",
      notify: ["escalated"],
    },
    {
      name: "page → only ticket de-escalates",
      prev: snap({ state: "firing", severity: "page", firedAtMs: EARLIER }),
      fire: ["ticket"],
      state: "firing",
      severity: "ticket",
      notify: ["deescalated"],
    },
    {
      name: "still page: nothing new",
      prev: snap({ state: "firing", severity: "page", firedAtMs: EARLIER }),
      fire: ["page"],
      state: "firing",
      severity: "page",
      notify: [],
    },
    {
      name: "no tier fires → resolved",
      prev: snap({ state: "firing", severity: "page", firedAtMs: EARLIER }),
      fire: [],
      state: "resolved",
      severity: "page",
      notify: ["resolved"],
    },
    {
      name: "acknowledged stays acknowledged while firing",
      prev: snap({ state: "acknowledged", severity: "page", firedAtMs: EARLIER, ackedBy: "ana" }),
      fire: ["page"],
      state: "acknowledged",
      severity: "page",
      notify: [],
    },
    {
      name: "acknowledged ticket escalates: back to firing, re-notifies",
      prev: snap({ state: "acknowledged", severity: "ticket", firedAtMs: EARLIER, ackedBy: "ana" }),
      fire: ["page"],
      state: "firing",
      severity: "page",
      notify: ["escalated"],
    },
    {
      name: "acknowledged → resolved",
      prev: snap({ state: "acknowledged", severity: "ticket", firedAtMs: EARLIER, ackedBy: "ana" }),
      fire: [],
      state: "resolved",
      severity: "ticket",
      notify: ["resolved"],
    },
    {
      name: "resolved → fires again: refired",
      prev: snap({ state: "resolved", severity: "page", firedAtMs: EARLIER }),
      fire: ["ticket"],
      state: "firing",
      severity: "ticket",
      notify: ["refired"],
    },
    {
      name: "resolved stays resolved",
      prev: snap({ state: "resolved", severity: "page", firedAtMs: EARLIER }),
      fire: [],
      state: "resolved",
      severity: "page",
      notify: [],
    },
    {
      name: "snoozed: escalation is silent",
      prev: snap({ state: "firing", severity: "ticket", firedAtMs: EARLIER, snoozedUntilMs: NOW + 1 }),
      fire: ["page"],
      state: "firing",
      severity: "page",
      notify: [],
    },
    {
      name: "snoozed: resolved still notifies",
      prev: snap({ state: "firing", severity: "page", firedAtMs: EARLIER, snoozedUntilMs: NOW + HOUR_MS }),
      fire: [],
      state: "resolved",
      severity: "page",
      notify: ["resolved"],
    },
    {
      name: "snoozed: refire is silent",
      prev: snap({ state: "resolved", severity: "page", firedAtMs: EARLIER, snoozedUntilMs: NOW + HOUR_MS }),
      fire: ["page"],
      state: "firing",
      severity: "page",
      notify: [],
    },
    {
      name: "snooze over (until == now): escalation notifies",
      prev: snap({ state: "firing", severity: "ticket", firedAtMs: EARLIER, snoozedUntilMs: NOW }),
      fire: ["page"],
      state: "firing",
      severity: "page",
      notify: ["escalated"],
    },
  ] as const)("$name", ({ prev, fire, state, severity, notify }) => {
    const { next, notify: n } = nextAlertState(prev, firing(...fire), NOW);
    expect(next.state).toBe(state);
    expect(next.severity).toBe(severity);
    expect(n.map((x) => x.kind)).toEqual(notify);
  });

  it.each([
    {
      name: "new alert starts its episode now",
      prev: snap({}),
      fire: ["page"] as Severity[],
      firedAtMs: NOW,
    },
    {
      name: "refired alert starts a new episode",
      prev: snap({ state: "resolved", severity: "page", firedAtMs: EARLIER }),
      fire: ["page"] as Severity[],
      firedAtMs: NOW,
    },
    {
      name: "escalation keeps the episode",
      prev: snap({ state: "firing", severity: "ticket", firedAtMs: EARLIER }),
      fire: ["page"] as Severity[],
      firedAtMs: EARLIER,
    },
  ])("$name", ({ prev, fire, firedAtMs }) => {
    expect(nextAlertState(prev, firing(...fire), NOW).next.firedAtMs).toBe(firedAtMs);
  });

  it.each([
    { until: NOW + 1, kept: NOW + 1 },
    { until: NOW, kept: null },
    { until: NOW - HOUR_MS, kept: null },
  ])("snooze until $until is kept as $kept", ({ until, kept }) => {
    const prev = snap({ state: "firing", severity: "page", firedAtMs: EARLIER, snoozedUntilMs: until });
    expect(nextAlertState(prev, firing("page"), NOW).next.snoozedUntilMs).toBe(kept);
  });

  it("a refired alert forgets the previous ack", () => {
    const prev = snap({ state: "resolved", severity: "page", firedAtMs: EARLIER, ackedBy: "ana" });
    expect(nextAlertState(prev, firing("page"), NOW).next.ackedBy).toBeNull();
  });

  it.each([
    { fire: [] as Severity[], expected: null },
    { fire: ["ticket"] as Severity[], expected: "ticket" },
    { fire: ["page", "ticket"] as Severity[], expected: "page" },
  ])("highestFiringSeverity($fire) = $expected", ({ fire, expected }) => {
    expect(highestFiringSeverity(firing(...fire))).toBe(expected);
  });
});

describe("ackAlert", () => {
  it.each([
    {
      prev: snap({ state: "firing", severity: "page", firedAtMs: EARLIER }),
      state: "acknowledged",
      ackedBy: "ana",
      notify: ["acknowledged"],
    },
    {
      prev: snap({ state: "acknowledged", severity: "page", firedAtMs: EARLIER, ackedBy: "bo" }),
      state: "acknowledged",
      ackedBy: "bo",
      notify: [],
    },
    { prev: snap({}), state: "ok", ackedBy: null, notify: [] },
    { prev: snap({ state: "resolved", severity: "page" }), state: "resolved", ackedBy: null, notify: [] },
  ] as const)("$prev.state → $state", ({ prev, state, ackedBy, notify }) => {
    const { next, notify: n } = ackAlert(prev, "ana", NOW);
    expect(next.state).toBe(state);
    expect(next.ackedBy).toBe(ackedBy);
    expect(n.map((x) => x.kind)).toEqual(notify);
  });
});

describe("snoozeAlert", () => {
  it.each([
    {
      name: "firing, 2 h",
      prev: snap({ state: "firing", severity: "page", firedAtMs: EARLIER }),
      until: NOW + 2 * HOUR_MS,
      snoozed: NOW + 2 * HOUR_MS,
      notify: ["snoozed"],
    },
    {
      name: "acknowledged",
      prev: snap({ state: "acknowledged", severity: "page", ackedBy: "ana" }),
      until: NOW + HOUR_MS,
      snoozed: NOW + HOUR_MS,
      notify: ["snoozed"],
    },
    {
      name: "until in the past",
      prev: snap({ state: "firing", severity: "page" }),
      until: NOW - 1,
      snoozed: null,
      notify: [],
    },
    { name: "nothing to snooze", prev: snap({}), until: NOW + HOUR_MS, snoozed: null, notify: [] },
  ] as const)("$name", ({ prev, until, snoozed, notify }) => {
    const { next, notify: n } = snoozeAlert(prev, until, NOW);
    expect(next.snoozedUntilMs).toBe(snoozed);
    expect(n.map((x) => x.kind)).toEqual(notify);
  });

  it("the book's 120-minute snooze: silent for 2 h, then notifies again", () => {
    let s = nextAlertState(INITIAL_ALERT, firing("ticket"), NOW).next;
    s = snoozeAlert(s, NOW + 2 * HOUR_MS, NOW).next;
    expect(nextAlertState(s, firing("page"), NOW + HOUR_MS).notify).toEqual([]);
    const later = nextAlertState(s, firing("page"), NOW + 2 * HOUR_MS);
    expect(later.notify.map((x) => x.kind)).toEqual(["escalated"]);
  });
});

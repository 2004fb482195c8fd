import { DEFAULT_LOW_TRAFFIC_GUARD } from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { LoadedSlo } from "./loaded-slo";
import type { SloWithService } from "./slo-row";
import { toSloModel } from "./to-slo-model";

const at = new Date("2026-11-01T00:00:00Z");

function row(over: Partial<SloWithService> = {}): SloWithService {
  return {
    id: "11111111-1111-4111-8111-111111111111",
    serviceId: "22222222-2222-4222-8222-222222222222",
    endpointId: "33333333-3333-4333-8333-333333333333",
    name: "checkout availability",
    description: null,
    sli: { type: "availability" },
    objectivePercent: 99.9,
    window: { type: "rolling", days: 28 },
    budgetingMethod: "occurrences",
    priority: null,
    journeyStep: null,
    customerSegment: null,
    runbookUrl: null,
    alerting: null,
    version: 1,
    backfillPercent: 100,
    kind: "explicit",
    defaultSloId: null,
    lastEvaluatedCycle: null,
    evaluations: 0,
    evalLeaseHolder: null,
    evalLeaseUntil: null,
    evalPrevCycle: null,
    createdAt: at,
    updatedAt: at,
    service: {
      id: "22222222-2222-4222-8222-222222222222",
      slug: "checkout",
      name: "Checkout",
      teamId: "44444444-4444-4444-8444-444444444444",
      description: null,
      runbookUrl: null,
      tier: null,
      failureStatuses: [500, 502, 503],
      lastSeenAt: null,
      createdAt: at,
      updatedAt: at,
      team: {
        id: "44444444-4444-4444-8444-444444444444",
        slug: "payments",
        name: "Payments",
        slackChannel: null,
        createdAt: at,
        updatedAt: at,
      },
    },
    endpoint: {
      id: "33333333-3333-4333-8333-333333333333",
      serviceId: "22222222-2222-4222-8222-222222222222",
      method: "POST",
      route: "/checkout",
      createdAt: at,
    },
    ...over,
  } as SloWithService;
}

describe("LoadedSlo", () => {
  it.each([
    { name: "rolling, no alerting", over: {} },
    { name: "calendar month without a time zone", over: { window: { type: "calendar", period: "month" } } },
    {
      name: "timeslices with a low-traffic guard",
      over: {
        budgetingMethod: "timeslices",
        sli: { type: "latency", thresholdMs: 300 },
        alerting: { lowTraffic: { minShortWindowEvents: 20, minLongWindowBad: 5 }, noDataMinutes: 15 },
      },
    },
  ])("$name: the model from the row is the model from the API shape", ({ over }) => {
    const slo = new LoadedSlo(row(over as Partial<SloWithService>));
    for (const atMs of [Date.parse("2026-02-10T12:00:00Z"), Date.parse("2026-03-10T12:00:00Z")])
      expect(slo.model(atMs)).toEqual(toSloModel(slo.response, atMs));
  });

  it("gives the API shape, with the sentence and the endpoint", () => {
    const r = new LoadedSlo(row()).response;
    expect(r).toMatchObject({
      id: "11111111-1111-4111-8111-111111111111",
      service: "checkout",
      team: "payments",
      endpoint: "POST /checkout",
      budgetingMethod: "occurrences",
      alerting: null,
      kind: "explicit",
      createdAt: at.toISOString(),
    });
    expect(r.sentence).toContain("99.9");
  });

  it("assembles the SLI target from the row and its service", () => {
    expect(new LoadedSlo(row()).target).toEqual({
      sloId: "11111111-1111-4111-8111-111111111111",
      serviceId: "22222222-2222-4222-8222-222222222222",
      endpointId: "33333333-3333-4333-8333-333333333333",
      failureStatuses: [500, 502, 503],
      sli: { type: "availability" },
    });
  });

  it("resolves the default guard and a calendar window's time zone", () => {
    const m = new LoadedSlo(row({ window: { type: "calendar", period: "month" } })).model(at.getTime());
    expect(m.guard).toEqual(DEFAULT_LOW_TRAFFIC_GUARD);
    expect(m.window).toEqual({ type: "calendar", period: "month", timeZone: "UTC" });
    expect(m.objective).toBeCloseTo(0.999, 12);
  });

  it("a bad row throws where a field is first read, not when loaded", () => {
    const slo = new LoadedSlo(row({ sli: { type: "nonsense" } }));
    expect(slo.row.id).toBe("11111111-1111-4111-8111-111111111111");
    expect(() => slo.target).toThrow();
    expect(() => slo.model(at.getTime())).toThrow();
    expect(() => slo.response).toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { EMPTY_FORM, clearErrors, formFromSlo, previewBody, validate } from "./form";
import { errorPosition } from "./filter-field";

describe("SLO editor form", () => {
  const good = { ...EMPTY_FORM, service: "checkout", name: "Cart", endpoint: "GET /cart" };
  it("builds the API body and validates it with the API's schema", () => {
    const r = validate(good, "create");
    expect(r).toEqual({
      ok: true,
      body: {
        service: "checkout",
        name: "Cart",
        endpoint: "GET /cart",
        sli: { type: "availability" },
        objectivePercent: 99.9,
        window: { type: "rolling", days: 28 },
        budgetingMethod: "occurrences",
      },
    });
  });
  it("names each bad field in plain words, as its label says it", () => {
    const r = validate({ ...good, name: "", objectivePercent: "100", days: "120" }, "create");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.name).toBe("Name is required");
    expect(r.errors.objectivePercent).toMatch(/^Objective must be below 100%/);
    expect(r.errors["window.days"]).toBe("Days must be at most 90");
    const t = validate({ ...good, sliType: "latency", thresholdMs: "fast" }, "create");
    expect(!t.ok && t.errors["sli.thresholdMs"]).toBe("Threshold must be a number");
    for (const words of Object.values(r.errors))
      expect(words).not.toMatch(/objectivePercent|expected|received/);
  });
  it("catches an endpoint typo before the API does, and has no preview for it", () => {
    const r = validate({ ...good, endpoint: "GTE /cart" }, "create");
    expect(!r.ok && r.errors.endpoint).toMatch(/^Endpoint must be a method and a route/);
    expect(previewBody({ ...good, endpoint: "/cart" })).toBeNull();
  });
  it("requires a reason on edit", () => {
    const r = validate(good, "edit");
    expect(!r.ok && r.errors.reason).toMatch(/^Reason/);
    expect(validate({ ...good, reason: "tighter after the migration" }, "edit").ok).toBe(true);
  });
  it("previews only a valid proposal", () => {
    expect(previewBody(good)).toMatchObject({ service: "checkout", objectivePercent: 99.9 });
    expect(previewBody({ ...good, objectivePercent: "abc" })).toBeNull();
    expect(previewBody({ ...good, name: "" })).not.toBeNull();
  });
  it("sends the context fields, a ratio SLI's filters and the tiers", () => {
    const r = validate(
      {
        ...good,
        description: "Carts load",
        journeyStep: "checkout",
        customerSegment: "paying",
        runbookUrl: "https://wiki.example.com/cart",
        sliType: "ratio",
        good: "status < 500",
        total: "true",
        disabledTiers: ["slow-ticket"],
      },
      "create",
    );
    expect(r.ok && r.body).toMatchObject({
      description: "Carts load",
      journeyStep: "checkout",
      customerSegment: "paying",
      runbookUrl: "https://wiki.example.com/cart",
      sli: { type: "ratio", good: "status < 500", total: "true" },
      alerting: { disabledTiers: ["slow-ticket"] },
    });
    const custom = validate({ ...good, tiersMode: "custom" }, "create");
    expect(custom.ok && custom.body.alerting?.tiers?.map((t) => t.name)).toEqual([
      "fast-page",
      "slow-page",
      "fast-ticket",
      "slow-ticket",
    ]);
    const bad = validate(
      { ...good, tiersMode: "custom", tiers: [{ ...good.tiers[0]!, longWindowMinutes: "0" }] },
      "create",
    );
    expect(!bad.ok && bad.errors["alerting.tiers.0.longWindowMinutes"]).toBe(
      "Long window must be at least 1",
    );
  });
  it("an SLO's form gives back the SLO (custom tiers and other alerting settings kept)", () => {
    const slo = {
      service: "checkout",
      name: "Cart",
      description: null,
      endpoint: "GET /cart",
      sli: { type: "ratio", good: "status < 500", total: "true" },
      objectivePercent: 99.5,
      window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
      budgetingMethod: "timeslices",
      priority: "P2",
      journeyStep: null,
      customerSegment: null,
      runbookUrl: null,
      alerting: {
        tiers: [
          {
            name: "t",
            severity: "page",
            longWindowMinutes: 60,
            shortWindowMinutes: null,
            factor: 14.4,
            enabled: true,
          },
        ],
        noDataMinutes: 45,
      },
    } as never;
    const r = validate({ ...formFromSlo(slo), reason: "same" }, "edit");
    expect(r.ok && r.body).toMatchObject({
      sli: { type: "ratio", good: "status < 500", total: "true" },
      window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
      priority: "P2",
      alerting: {
        noDataMinutes: 45,
        tiers: [
          { name: "t", severity: "page", longWindowMinutes: 60, shortWindowMinutes: null, factor: 14.4 },
        ],
      },
    });
  });
  it("an edit leaves the alerting alone unless it was set or is changed", () => {
    const r = validate({ ...good, reason: "rename" }, "edit");
    expect(r.ok && "alerting" in r.body).toBe(false);
    const had = validate({ ...good, hadAlerting: true, reason: "back to the defaults" }, "edit");
    expect(had.ok && had.body.alerting).toEqual({});
  });
  it("changing a field clears its errors, also those under its path", () => {
    const errors = { "sli.thresholdMs": "x", "alerting.tiers.0.name": "y", name: "z" };
    expect(clearErrors(errors, "thresholdMs")).toEqual({ "alerting.tiers.0.name": "y", name: "z" });
    expect(clearErrors(errors, "tiers")).toEqual({ "sli.thresholdMs": "x", name: "z" });
  });
  it("reads the position of a filter error from the API's message", () => {
    expect(errorPosition("Unexpected ')' at position 9")).toBe(9);
    expect(errorPosition("Good requests is required")).toBeNull();
  });
});

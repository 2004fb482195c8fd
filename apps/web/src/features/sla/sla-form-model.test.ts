import type { SlaResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { EMPTY_SLA_FORM, emptyChild, formFromSla, slaBody, validateSla } from "./sla-form-model";

const sla: SlaResponse = {
  id: "s1",
  name: "Checkout – Enterprise",
  description: null,
  services: [
    { slug: "checkout", name: "Checkout", team: "payments" },
    { slug: "cart", name: "Cart", team: "shop" },
  ],
  teams: ["payments", "shop"],
  sli: { type: "latency", thresholdMs: 500 },
  objectivePercent: 99.5,
  window: { type: "calendar", period: "quarter", timeZone: "Europe/Berlin" },
  tiers: [{ name: "Gold", objectivePercent: 99.9 }],
  credits: "10% of the monthly fee",
  customers: null,
  children: [
    {
      id: "c1",
      service: "cart",
      team: "shop",
      endpoint: "GET /cart",
      name: null,
      objectivePercent: 99,
      sli: { type: "latency", thresholdMs: 500 },
    },
    {
      id: "c2",
      service: "checkout",
      team: "payments",
      endpoint: "POST /pay",
      name: "Pay",
      objectivePercent: 99.9,
      sli: { type: "availability" },
    },
  ],
  thresholds: [50, 80, 100],
  notify: { stakeholderGroups: ["5c1b8f0e-3a2d-4c8e-9f10-2b7d6a4e8c01"] },
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("the SLA form", () => {
  it("an SLA read into the form and sent back is the same SLA", () => {
    const body = slaBody(formFromSla(sla), true);
    expect(body).toEqual({
      name: sla.name,
      description: null,
      services: ["checkout", "cart"],
      sli: { type: "latency", thresholdMs: 500 },
      objectivePercent: 99.5,
      window: { type: "calendar", period: "quarter", timeZone: "Europe/Berlin" },
      tiers: [{ name: "Gold", objectivePercent: 99.9 }],
      customers: null,
      credits: "10% of the monthly fee",
      // the child that measures with the SLA's own SLI sends none; the other keeps its own
      children: [
        { service: "cart", endpoint: "GET /cart", objectivePercent: 99 },
        {
          service: "checkout",
          endpoint: "POST /pay",
          name: "Pay",
          objectivePercent: 99.9,
          sli: { type: "availability" },
        },
      ],
      thresholds: [50, 80, 100],
      notify: { stakeholderGroups: ["5c1b8f0e-3a2d-4c8e-9f10-2b7d6a4e8c01"] },
    });
    expect(validateSla(formFromSla(sla), true).ok).toBe(true);
  });

  it("an empty new SLA names each missing field", () => {
    const v = validateSla(EMPTY_SLA_FORM, false);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(Object.keys(v.errors).sort()).toEqual(["name", "objectivePercent", "services"]);
    expect(v.errors.objectivePercent).toMatch(/^Objective/);
  });

  it("a bad row is refused at its own field, and an emptied text clears it on edit only", () => {
    const f = {
      ...formFromSla(sla),
      objectivePercent: "99.5%",
      thresholds: "50, lots",
      tiers: [{ name: "", objectivePercent: "99.9" }],
      children: [{ ...emptyChild("billing"), endpoint: "GET /x", objectivePercent: "99" }],
    };
    const v = validateSla(f, true);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(Object.keys(v.errors).sort()).toEqual(["objectivePercent", "thresholds", "tiers.0.name"]);
    expect(v.errors.thresholds).toMatch(/\(the 2nd one\)$/);
    // once the contract holds, a child outside the SLA's services is named too
    const w = validateSla({ ...f, objectivePercent: "99.5", thresholds: "50", tiers: [] }, true);
    expect(w.ok ? {} : w.errors).toEqual({
      "children.0.service": "Service must be one of the SLA's services",
    });
    expect(slaBody({ ...f, credits: " " }, true).credits).toBeNull();
    expect(slaBody({ ...f, credits: " " }, false).credits).toBeUndefined();
  });
});

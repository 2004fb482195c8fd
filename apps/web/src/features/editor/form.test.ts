import { describe, expect, it } from "vitest";
import { EMPTY_FORM, previewBody, validate } from "./form";

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
  it("names each bad field with a clear message", () => {
    const r = validate({ ...good, name: "", objectivePercent: "100", days: "120" }, "create");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.name).toMatch(/give the SLO a name/);
    expect(r.errors.objectivePercent).toMatch(/below 100/);
    expect(r.errors["window.days"]).toMatch(/between 1 and 90/);
    const t = validate({ ...good, sliType: "latency", thresholdMs: "fast" }, "create");
    expect(!t.ok && t.errors["sli.thresholdMs"]).toMatch(/milliseconds/);
  });
  it("requires a reason on edit", () => {
    const r = validate(good, "edit");
    expect(!r.ok && r.errors.reason).toMatch(/say why the SLO changes/);
    expect(validate({ ...good, reason: "tighter after the migration" }, "edit").ok).toBe(true);
  });
  it("previews only a valid proposal", () => {
    expect(previewBody(good)).toMatchObject({ service: "checkout", objectivePercent: 99.9 });
    expect(previewBody({ ...good, objectivePercent: "abc" })).toBeNull();
    expect(previewBody({ ...good, name: "" })).not.toBeNull();
  });
});

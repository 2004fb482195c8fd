import { describe, expect, it } from "vitest";
import { dryRunBody, formFromPolicy, freeId, validatePolicy } from "./policy-form-model";
import { policyTemplate } from "./policy-template";

const form = () => ({
  ...formFromPolicy(policyTemplate(Date.parse("2026-11-01T00:00:00Z"))),
  reason: "first version",
});

describe("the policy form", () => {
  it("stands for the template's policy exactly: form → body gives back the template", () => {
    const t = policyTemplate(Date.parse("2026-11-01T00:00:00Z"));
    const v = validatePolicy(form(), []);
    expect(v.ok).toBe(true);
    if (v.ok)
      expect(v.body).toMatchObject({ ...t, agreedBy: [], silverBulletsPerYear: 3, reason: "first version" });
  });
  it("marks a bad percent at its row in plain words, and has no dry run while it is bad", () => {
    const f = form();
    f.conditions[1]!.percent = "150";
    const v = validatePolicy(f, []);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors["conditions.1.percent"]).toBe("Percent must be at most 100%");
    expect(dryRunBody(f)).toBeNull();
  });
  it("a missing reason and a work item without text are named by their labels", () => {
    const f = { ...form(), reason: "" };
    f.conditions[2]!.consequences[0]!.text = "";
    const v = validatePolicy(f, []);
    if (v.ok) throw new Error("expected errors");
    expect(v.errors.reason).toMatch(/^Reason/);
    expect(v.errors["conditions.2.consequences.0.text"]).toBe("What to do is required");
  });
  it("two conditions with one name are refused at the second", () => {
    const f = form();
    f.conditions[1]!.id = f.conditions[0]!.id;
    const v = validatePolicy(f, []);
    if (v.ok) throw new Error("expected errors");
    expect(v.errors["conditions.1.id"]).toMatch(/duplicate condition id/i);
  });
  it("a freeze's regions are a comma list; empty freezes every region", () => {
    const f = form();
    f.conditions[0]!.consequences[0]!.regions = "prod-eu, prod-us";
    expect(dryRunBody(f)!.conditions[0]!.consequences).toEqual([
      { type: "release_freeze", regions: ["prod-eu", "prod-us"] },
    ]);
  });
  it("a new condition gets a name no other has", () => {
    expect(freeId("consumed-50", ["consumed-50", "consumed-50-2"])).toBe("consumed-50-3");
  });
});

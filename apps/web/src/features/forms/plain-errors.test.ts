import { CreateSloBody, CreateTeamBody, PolicyDryRunBody } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api";
import { errorsFromApi, errorsFromIssues, errorsWithout, plainSentence } from "./plain-errors";

const labels = {
  objectivePercent: "Objective (%)",
  slug: "Slug",
  name: "Name",
  runbookUrl: "Runbook",
  "conditions.*.percent": "Percent",
};

describe("errors in plain words, at the field", () => {
  it("names the objective, not objectivePercent, and says % ", () => {
    const r = CreateSloBody.safeParse({
      service: "shop",
      name: "x",
      sli: { type: "availability" },
      objectivePercent: 100,
    });
    expect(r.success).toBe(false);
    const e = errorsFromIssues(r.error!.issues, labels);
    expect(e.objectivePercent).toMatch(/^Objective must be below 100%/);
    expect(e.objectivePercent).not.toMatch(/objectivePercent/);
  });
  it.each([
    [{ slug: "", name: "A" }, "slug", "Slug is required"],
    [
      { slug: "Bad Slug", name: "A" },
      "slug",
      "Slug must be lowercase letters, digits and dashes (e.g. 'checkout-api')",
    ],
    [{ slug: "ok" }, "name", "Name is required"],
  ])("team %j: %s → %s", (body, field, words) => {
    const r = CreateTeamBody.safeParse(body);
    expect(errorsFromIssues(r.error!.issues, labels)[field]).toBe(words);
  });
  it("a pattern with * labels every row of a list", () => {
    const r = PolicyDryRunBody.safeParse({ conditions: [{ id: "a", type: "consumed", percent: 0 }] });
    expect(errorsFromIssues(r.error!.issues, labels)["conditions.0.percent"]).toBe(
      "Percent must be above 0%",
    );
  });
  it("a field without words is named from its path", () => {
    const r = CreateSloBody.safeParse({
      service: "s",
      name: "n",
      sli: { type: "latency" },
      objectivePercent: 99,
    });
    expect(errorsFromIssues(r.error!.issues, labels)["sli.thresholdMs"]).toBe("Threshold ms is required");
  });
  it("the API's zod sentences and internal names become the form's words", () => {
    expect(plainSentence("Too small: expected number to be >0", "Objective (%)")).toBe(
      "Objective must be above 0%",
    );
    expect(plainSentence("objectivePercent must be below 100: a zero budget", "Objective")).toBe(
      "Objective must be below 100%: a zero budget",
    );
    expect(plainSentence("Invalid input: expected number, received string", "Days")).toBe(
      "Days must be a number",
    );
    expect(plainSentence("body field 'sli.good': unexpected ')' at position 9", "Good filter")).toBe(
      "Unexpected ')' at position 9",
    );
  });
  it("a parser's sentence is kept, said of its field", () => {
    expect(plainSentence("expected a value but found the end at position 17", "Good requests")).toBe(
      "Good requests: expected a value but found the end at position 17",
    );
  });
  it("a refusal that names fields marks them; one that does not is the form's", () => {
    const named = new ApiError(400, "validation_error", "body field 'runbookUrl': Invalid URL", {
      runbookUrl: "Invalid URL",
    });
    expect(errorsFromApi(named, labels)).toEqual({
      runbookUrl: "Runbook must be a web address such as https://wiki.example.com/runbook",
    });
    const conflict = new ApiError(409, "conflict", "team 'payments' already exists");
    expect(errorsFromApi(conflict, labels)).toEqual({ form: "team 'payments' already exists" });
  });
});

describe("errorsWithout", () => {
  it("clears a field, the fields under it and the form's error, and keeps the rest", () => {
    const errors = {
      form: "refused",
      tiers: "too many",
      "tiers.0.name": "Tier name is required",
      "tiers.1.objectivePercent": "Tier objective must be below 100%",
      tiersNote: "kept: another field",
      name: "Name is required",
    };
    expect(errorsWithout(errors, "tiers")).toEqual({
      tiersNote: "kept: another field",
      name: "Name is required",
    });
    expect(errorsWithout(errors, "tiers.0")).toEqual({
      tiers: "too many",
      "tiers.1.objectivePercent": "Tier objective must be below 100%",
      tiersNote: "kept: another field",
      name: "Name is required",
    });
  });
});

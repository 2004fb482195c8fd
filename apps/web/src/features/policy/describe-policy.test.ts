import type { PolicyResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import {
  describeCondition,
  describeConsequence,
  describeEnactmentDetail,
  editable,
  type Condition,
  type Consequence,
} from "./describe-policy";

describe("describeCondition", () => {
  it.each([
    [{ id: "a", type: "exhausted", consequences: [] }, "the error budget is exhausted"],
    [
      { id: "b", type: "consumed", percent: 70, consequences: [] },
      "≥ 70% of the period's budget is consumed",
    ],
    [
      { id: "c", type: "burned_within", percent: 30, hours: 24, consequences: [] },
      "≥ 30% of the budget burned within 24 h",
    ],
    [{ id: "d", type: "manual", text: "postmortem", consequences: [] }, "by decision: postmortem"],
  ] as [Condition, string][])("%o → %s", (c, text) => {
    expect(describeCondition(c)).toBe(text);
  });
});

describe("describeConsequence", () => {
  it.each([
    [{ type: "release_freeze", regions: [] }, "release freeze in every region"],
    [{ type: "release_freeze", regions: ["prod-eu", "prod-us"] }, "release freeze in prod-eu, prod-us"],
    [{ type: "notify" }, "notify the team's channel"],
    [{ type: "notify", channel: "#ops" }, "notify #ops"],
    [{ type: "work_item", text: "Plan it" }, "work item: Plan it"],
    [
      { type: "work_item", text: "Plan it", webhookUrl: "https://x" },
      "work item: Plan it (sent to the webhook)",
    ],
    [{ type: "manual", text: "Only fixes" }, "Only fixes"],
  ] as [Consequence, string][])("%o → %s", (q, text) => {
    expect(describeConsequence(q)).toBe(text);
  });
});

describe("describeEnactmentDetail", () => {
  it("names the numbers recorded, and nothing for a manual enactment", () => {
    expect(describeEnactmentDetail({ consumedPercent: 72.04, burnedPercent: 31.26 })).toBe(
      "72.0% consumed, 31.3% burned in the window",
    );
    expect(describeEnactmentDetail({ consumedPercent: 70, burnedPercent: null })).toBe("70.0% consumed");
    expect(describeEnactmentDetail(null)).toBe("");
  });
});

describe("editable", () => {
  it("keeps what a PUT sends back, and the review date only when set", () => {
    const p = {
      team: "payments",
      version: 3,
      scope: "s",
      purpose: "p",
      conditions: [],
      escalation: "e",
      agreedBy: [],
      nextReviewAt: null,
      silverBulletsPerYear: 3,
      inForce: false,
      missingSignatures: [],
      updatedAt: "2026-01-01",
    } satisfies PolicyResponse;
    expect(editable(p)).toEqual({
      scope: "s",
      purpose: "p",
      conditions: [],
      escalation: "e",
      agreedBy: [],
      silverBulletsPerYear: 3,
    });
    expect(editable({ ...p, nextReviewAt: "2026-04-01" })).toMatchObject({ nextReviewAt: "2026-04-01" });
  });
});

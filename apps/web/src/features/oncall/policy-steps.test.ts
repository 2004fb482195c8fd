import { describe, expect, it } from "vitest";
import { moveStep, newStep, toStepBody } from "./policy-steps";

describe("the escalation policy editor's steps", () => {
  it.each([
    { index: 1, by: -1 as const, expected: ["b", "a", "c"] },
    { index: 1, by: 1 as const, expected: ["a", "c", "b"] },
    { index: 0, by: -1 as const, expected: ["a", "b", "c"] },
    { index: 2, by: 1 as const, expected: ["a", "b", "c"] },
  ])("moving step $index by $by gives $expected", ({ index, by, expected }) => {
    expect(moveStep(["a", "b", "c"], index, by)).toEqual(expected);
  });

  it.each([
    [
      { ...newStep("schedule"), schedule: "s1", position: "backup" as const },
      { schedule: "s1", position: "backup" },
    ],
    [{ ...newStep("routed") }, { routed: "main" }],
    [{ ...newStep("user"), user: " dan@example.com " }, { user: "dan@example.com" }],
    [{ ...newStep("team"), team: "payments" }, { team: "payments" }],
  ])("%o targets %o", (draft, target) => {
    expect(toStepBody({ ...draft, timeoutMinutes: "1.5" })).toEqual({ target, ackTimeoutSeconds: 90 });
  });
});

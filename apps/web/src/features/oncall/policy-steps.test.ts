import { describe, expect, it } from "vitest";
import { fromStep, moveStep, newStep, toStepBody } from "./policy-steps";

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
    [{ ...newStep("group"), group: "g1" }, { group: "g1" }],
  ])("%o targets %o", (draft, target) => {
    expect(toStepBody({ ...draft, timeoutMinutes: "1.5" })).toEqual({ target, ackTimeoutSeconds: 90 });
  });

  const GROUP = "6f1c2a52-8a8e-4a55-9d2e-7c1b0f3e9a10";
  it.each([
    { target: { schedule: GROUP, position: "backup" as const }, ackTimeoutSeconds: 90 },
    { target: { routed: "backup2" as const }, ackTimeoutSeconds: 1800 },
    { target: { user: "dan@example.com" }, ackTimeoutSeconds: 60 },
    { target: { team: "payments" }, ackTimeoutSeconds: 600 },
    { target: { group: GROUP }, ackTimeoutSeconds: 45 },
  ])("a saved step $target comes back unchanged through the editor", (step) => {
    const draft = fromStep({ ...step, label: "x" });
    expect(toStepBody(draft)).toEqual(step);
  });
});

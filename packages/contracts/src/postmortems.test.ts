import { describe, expect, it } from "vitest";
import { ActionItemLink, blamelessHints, postmortemTransitionAllowed } from "./postmortems";

describe("blamelessHints", () => {
  it.each([
    ["The deploy raised the error rate from 0.1% to 4%.", []],
    ["It was human error.", ["human error"]],
    ["Bob should have checked the canary", ["should have"]],
    ["a careless change; the operator forgot to drain", ["careless", "forgot to"]],
    ["We don't blame anyone", ["blame"]],
    ["Fault tolerance worked", []],
  ])("%s", (text, phrases) => expect(blamelessHints(text).map((h) => h.phrase)).toEqual(phrases));
});

describe("postmortemTransitionAllowed", () => {
  it.each([
    ["draft", "in_review", true],
    ["draft", "published", false],
    ["in_review", "published", true],
    ["in_review", "draft", true],
    ["published", "in_review", true],
    ["published", "draft", false],
  ] as const)("%s -> %s: %s", (from, to, ok) => expect(postmortemTransitionAllowed(from, to)).toBe(ok));
});

describe("ActionItemLink", () => {
  it.each([
    ["https://tracker.example.com/PM-12", true],
    ["/slos/3f0e/edit", true],
    ["javascript:alert(1)", false],
    ["//evil.example.com", false],
    ["ftp://x.example.com/a", false],
  ])("%s: %s", (link, ok) => expect(ActionItemLink.safeParse(link).success).toBe(ok));
});

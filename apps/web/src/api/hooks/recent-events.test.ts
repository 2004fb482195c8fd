import type { DeploymentResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { RECENT_DEPLOYMENTS, withRecentEvent } from "./recent-events";

const ev = (id: string, at: string, version = id): DeploymentResponse => ({
  id,
  service: "storefront-web",
  region: null,
  version,
  kind: "deployment",
  note: null,
  at,
  endsAt: null,
  excludeFromBudget: false,
  author: null,
});

describe("withRecentEvent", () => {
  it("puts a new event first when it is the newest", () => {
    const list = [ev("b", "2026-12-07T10:00:00Z"), ev("a", "2026-12-07T09:00:00Z")];
    expect(withRecentEvent(list, ev("c", "2026-12-07T11:00:00Z")).map((d) => d.id)).toEqual(["c", "b", "a"]);
  });
  it("puts an event recorded for an earlier time in its place, newest first", () => {
    const list = [ev("b", "2026-12-07T10:00:00Z"), ev("a", "2026-12-07T09:00:00Z")];
    expect(withRecentEvent(list, ev("c", "2026-12-07T09:30:00Z")).map((d) => d.id)).toEqual(["b", "c", "a"]);
    expect(withRecentEvent(list, ev("c", "2026-12-07T08:00:00Z")).map((d) => d.id)).toEqual(["b", "a", "c"]);
  });
  it("into an empty list", () => {
    expect(withRecentEvent([], ev("c", "2026-12-07T11:00:00Z")).map((d) => d.id)).toEqual(["c"]);
  });
  it("replaces an event already listed (the refetch came first) rather than listing it twice", () => {
    const list = [ev("c", "2026-12-07T11:00:00Z", "old"), ev("a", "2026-12-07T09:00:00Z")];
    const out = withRecentEvent(list, ev("c", "2026-12-07T11:00:00Z", "new"));
    expect(out.map((d) => [d.id, d.version])).toEqual([
      ["c", "new"],
      ["a", "a"],
    ]);
  });
  it("keeps at most RECENT_DEPLOYMENTS, dropping the oldest", () => {
    const list = Array.from({ length: RECENT_DEPLOYMENTS }, (_, i) =>
      ev(`e${i}`, new Date(Date.UTC(2026, 11, 7, 10) - i * 60_000).toISOString()),
    );
    const out = withRecentEvent(list, ev("new", "2026-12-07T11:00:00Z"));
    expect(out).toHaveLength(RECENT_DEPLOYMENTS);
    expect(out[0]!.id).toBe("new");
    expect(out.some((d) => d.id === `e${RECENT_DEPLOYMENTS - 1}`)).toBe(false);
    // older than every listed one, in a full list: not shown
    expect(withRecentEvent(list, ev("old", "2026-12-01T00:00:00Z")).some((d) => d.id === "old")).toBe(false);
  });
});

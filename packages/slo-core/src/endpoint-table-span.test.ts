import { describe, expect, it } from "vitest";
import { DAY_MS } from "./index.js";
import { endpointTableSpan } from "./period-analysis.js";

describe("endpointTableSpan", () => {
  const now = Date.UTC(2025, 2, 20, 12, 34, 56);
  it.each([
    ["current", now - 28 * DAY_MS, now],
    ["previous", now - 56 * DAY_MS, now - 28 * DAY_MS],
    ["year", now - 365 * DAY_MS, now],
  ] as const)("%s: from %i to %i", (kind, startMs, endMs) => {
    expect(endpointTableSpan(kind, now)).toEqual({ startMs, endMs });
  });

  it("the previous window ends where the current one starts, 28 days each", () => {
    const cur = endpointTableSpan("current", now);
    const prev = endpointTableSpan("previous", now);
    expect(prev.endMs).toBe(cur.startMs);
    expect(cur.endMs - cur.startMs).toBe(28 * DAY_MS);
    expect(prev.endMs - prev.startMs).toBe(28 * DAY_MS);
  });
});

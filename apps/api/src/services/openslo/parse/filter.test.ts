import { describe, expect, it } from "vitest";
import { readFilter } from "./filter";
import { Ctx } from "./issues";
import type { ParsedOpenSlo } from "./types";

function read(src: unknown) {
  const out: ParsedOpenSlo = { services: [], slos: [], slack: [], warnings: [], errors: [], documents: 1 };
  const node = readFilter(
    src,
    new Ctx({ document: 1, kind: "SLI", name: "x" }, out),
    "spec.filter",
    "checkout",
  );
  // Positions are those of the source text; the tree is what matters.
  const filter: unknown =
    node && JSON.parse(JSON.stringify(node, (k, v: unknown) => (k === "pos" ? undefined : v)));
  return { filter, errors: out.errors.map((e) => e.message) };
}

describe("readFilter: scoped to the SLO's service", () => {
  const status = { type: "cmp", field: "status", op: "<", value: 500 };
  const duration = { type: "cmp", field: "durationMs", op: "<=", value: 300 };
  it.each([
    { src: "status < 500", filter: status },
    { src: 'service = "checkout"', filter: { type: "true" } },
    { src: 'service = "checkout" and status < 500', filter: status },
    {
      src: 'service = "checkout" and status < 500 and durationMs <= 300',
      filter: { type: "and", items: [status, duration] },
    },
  ])("$src", ({ src, filter }) => {
    expect(read(src)).toEqual({ filter, errors: [] });
  });

  it.each([
    { src: "", error: "is required: a filter such as 'status < 500' (or 'true')" },
    { src: undefined, error: "is required: a filter such as 'status < 500' (or 'true')" },
    {
      src: 'service = "search" and status < 500',
      error: `selects service "search" but the SLO is for 'checkout'`,
    },
    { src: 'status < 500 or service = "checkout"', error: "may mention service only as a top-level" },
    { src: "status <", error: "expected a value" },
  ])("refuses $src", ({ src, error }) => {
    const r = read(src);
    expect(r.filter).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(error);
  });
});

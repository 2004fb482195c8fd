import { describe, expect, it } from "vitest";
import { diffFields } from "./diff-fields";

describe("diffFields", () => {
  it.each([
    {
      name: "equal objects",
      before: { a: 1, b: { type: "x", c: 2 } },
      after: { a: 1, b: { type: "x", c: 2 } },
      fields: [],
    },
    {
      name: "a changed scalar",
      before: { a: 1 },
      after: { a: 2 },
      fields: [{ field: "a", before: 1, after: 2 }],
    },
    { name: "missing is null", before: { a: null }, after: {}, fields: [] },
    {
      name: "an added field",
      before: {},
      after: { a: "x" },
      fields: [{ field: "a", before: null, after: "x" }],
    },
    {
      name: "objects of the same type, key by key",
      before: { sli: { type: "ratio", good: "status < 500", total: "true" } },
      after: { sli: { type: "ratio", good: "status < 400", total: "true" } },
      fields: [{ field: "sli.good", before: "status < 500", after: "status < 400" }],
    },
    {
      name: "objects of another type, whole",
      before: { window: { type: "rolling", days: 28 } },
      after: { window: { type: "calendar", period: "month" } },
      fields: [
        {
          field: "window",
          before: { type: "rolling", days: 28 },
          after: { type: "calendar", period: "month" },
        },
      ],
    },
    {
      name: "arrays, whole",
      before: { a: [1, 2] },
      after: { a: [1, 3] },
      fields: [{ field: "a", before: [1, 2], after: [1, 3] }],
    },
  ])("$name", ({ before, after, fields }) => {
    expect(diffFields(before, after)).toEqual(fields);
  });
});

import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseInt4Array } from "./client";

const builtin = (pg.types.getTypeParser as (oid: number, format?: string) => (t: string) => unknown)(
  1007,
  "text",
);

describe("int4[] parsing", () => {
  it("gives what pg-types' array parser gives, flat or not", () => {
    const cases = [
      "{}",
      "{0}",
      "{1,2,3}",
      "{NULL,5,NULL}",
      "{-3,0,2147483647,-2147483648}",
      `{${Array.from({ length: 60 }, (_, i) => i * 7).join(",")}}`,
      "{{1,2},{3,4}}",
    ];
    for (const text of cases) expect(parseInt4Array(text), text).toEqual(builtin(text));
  });
});

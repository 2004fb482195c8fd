import { describe, expect, it } from "vitest";
import { parseNdjson } from "../sources/ndjson/ndjson-parser";
import { controlCharAt, describeControlChar, printable } from "./control-chars";

describe("printable", () => {
  it.each([
    ["plain text", "plain text"],
    ["a\u0000b", "a\\u0000b"],
    ["tab\there", "tab\\u0009here"],
    ["del\u007f c1\u0085", "del\\u007f c1\\u0085"],
    ["lone high \ud800 end", "lone high \\ud800 end"],
    ["lone low \udc00 end", "lone low \\udc00 end"],
    ["cut pair \ud83d", "cut pair \\ud83d"],
    ["pair \u{1F600} kept", "pair \u{1F600} kept"],
    ["reversed \udc00\ud800", "reversed \\udc00\\ud800"],
    ["é ü ✓", "é ü ✓"],
  ])("%j → %j", (input, out) => {
    expect(printable(input)).toBe(out);
    // What it gives is what jsonb takes: no control character, no unpaired surrogate left.
    expect(printable(input)).not.toMatch(
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      /[\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });

  it("is stable: a second pass changes nothing", () => {
    const s = "x\u0000\ud800\u{1F600}\u0007";
    expect(printable(printable(s))).toBe(printable(s));
  });

  it("makes every listed line error printable, whatever JSON.parse or the validator quoted", () => {
    const now = Date.UTC(2026, 10, 21, 10, 0, 0);
    const body = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00, 0x0a]),
      Buffer.from(`{"ts":"\\ud800 is no time","service":"s"}\n`),
      Buffer.from(`{"ts":"${"y".repeat(39)}\u{1F600}","service":"s"}\n`),
    ]);
    const b = parseNdjson(body, now);
    expect(b.rejected).toBe(3);
    expect(b.errors.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(b.errors[0]!.message).toContain("\\u0000");
    expect(b.errors[1]!.message).toBe(
      "ts: contains an unpaired surrogate (U+D800) at position 1; send valid Unicode text",
    );
    expect(b.errors[2]!.message).toContain(`'${"y".repeat(39)}\\ud83d'`);
    for (const e of b.errors) expect(printable(e.message)).toBe(e.message);
  });

  it.each([
    ["GET /cart", -1],
    ["/a\u0000b", 2],
    ["/c1\u0085", 3],
    ["/emoji \u{1F600} ok", -1],
    ["/half \ud83d", 6],
    ["/low \ude00 first", 5],
    ["\ud800\ud800\udc00", 0],
  ])(
    "controlCharAt(%j) = %i: a stored string holds no control character and no unpaired surrogate",
    (s, at) => {
      expect(controlCharAt(s)).toBe(at);
    },
  );

  it("names an unpaired surrogate as such", () => {
    expect(describeControlChar("ab\ud800", 2)).toBe(
      "contains an unpaired surrogate (U+D800) at position 3; send valid Unicode text",
    );
    expect(describeControlChar("a\u0000", 1)).toMatch(
      /^contains a control character \(U\+0000\) at position 2/,
    );
  });
});

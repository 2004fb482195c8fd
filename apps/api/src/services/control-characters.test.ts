import { describe, expect, it } from "vitest";
import { BAD_IN_NAME, controlCharacterError, findControlCharacter } from "./control-characters";

describe("findControlCharacter", () => {
  it.each([
    [{ name: "ok", team: "a\u0000b" }, "body.team", "U+0000"],
    [{ sli: { good: "route = 'x'", total: "\u001b[31m" } }, "body.sli.total", "U+001B"],
    [{ items: [{ a: "fine" }, { a: "x\u0007" }] }, "body.items.1.a", "U+0007"],
    [{ labels: { "k\u0000": "v" } }, "body.labels", "U+0000"],
    ["\u0000", "body", "U+0000"],
    [{ name: "a\ud800b" }, "body.name", "U+D800"],
    [{ name: "ends in half a pair \ud83d" }, "body.name", "U+D83D"],
    [{ name: "\udc00 low first" }, "body.name", "U+DC00"],
    [{ name: "reversed \ude00\ud83d" }, "body.name", "U+DE00"],
  ])("%j -> %s (%s)", (value, field, char) => {
    expect(findControlCharacter(value, "body")).toEqual({ field, char });
  });

  it("lets tab, newline and carriage return through in free text, but not in names", () => {
    expect(findControlCharacter({ description: "a\tb\nc\r\n" }, "body")).toBeNull();
    expect(findControlCharacter({ team: "a\tb" }, "query", BAD_IN_NAME)).toEqual({
      field: "query.team",
      char: "U+0009",
    });
    expect(findControlCharacter({ team: "a\u007fb" }, "query", BAD_IN_NAME)?.char).toBe("U+007F");
  });

  it("ignores numbers, booleans, null and buffers, and reports the first hit in document order", () => {
    expect(findControlCharacter({ n: 1, b: true, z: null, buf: Buffer.from([0]) }, "body")).toBeNull();
    expect(findControlCharacter({ a: "\u0001", b: "\u0002" }, "body")?.field).toBe("body.a");
  });

  it("walks a deeply nested body without overflowing the stack", () => {
    let deep: unknown = "x\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findControlCharacter(deep, "body")?.char).toBe("U+0000");
  });

  it("lets paired surrogates (emoji and other astral characters) through, in text and names", () => {
    expect(findControlCharacter({ description: "ship it \u{1F680} \u{1D11E}" }, "body")).toBeNull();
    expect(findControlCharacter({ team: "\u{1F600}" }, "query", BAD_IN_NAME)).toBeNull();
    expect(findControlCharacter({ team: "x\ud800" }, "query", BAD_IN_NAME)?.char).toBe("U+D800");
  });

  it("names an unpaired surrogate as such, not as a control character", () => {
    const e = controlCharacterError({ field: "body.reason", char: "U+D800" });
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^body\.reason: contains an unpaired surrogate U\+D800/);
    expect(e.details).toMatchObject({ field: "body.reason" });
  });

  it("the error is a 400 naming the field", () => {
    const e = controlCharacterError({ field: "params.slug", char: "U+0000" });
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^params\.slug: contains the control character U\+0000/);
    expect(e.details).toMatchObject({ field: "params.slug" });
  });
});

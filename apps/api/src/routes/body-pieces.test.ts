import { describe, expect, it } from "vitest";
import { BodyPieces } from "./ingest";

describe("BodyPieces", () => {
  it("joins a body sent a byte at a time into few pieces, byte for byte", () => {
    const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => 97 + (i % 26)));
    const kept = new BodyPieces();
    for (let i = 0; i < body.length; i++) kept.push(body.subarray(i, i + 1));
    // 200,000 one-byte pieces: one per 256 (plus the last, unfinished run), not 200,000.
    expect(kept.pieces.length).toBeLessThanOrEqual(Math.ceil(body.length / 256) + 256);
    expect(Buffer.concat(kept.pieces).equals(body)).toBe(true);
  });

  it("keeps the pieces of a normal stream as they are (the same buffers, not copies)", () => {
    const pieces = Array.from({ length: 600 }, (_, i) => Buffer.alloc(65_536, i % 251));
    const kept = new BodyPieces();
    for (const p of pieces) kept.push(p);
    expect(kept.pieces.length).toBe(600);
    expect(kept.pieces.every((p, i) => p === pieces[i])).toBe(true);
  });

  it("joins runs of small pieces between large ones, in order", () => {
    const parts: Buffer[] = [];
    for (let k = 0; k < 3; k++) {
      parts.push(Buffer.alloc(65_536, 120 + k));
      for (let i = 0; i < 700; i++) parts.push(Buffer.from([k, i % 256]));
    }
    const kept = new BodyPieces();
    for (const p of parts) kept.push(p);
    expect(kept.pieces.length).toBeLessThan(parts.length / 10);
    expect(Buffer.concat(kept.pieces).equals(Buffer.concat(parts))).toBe(true);
  });
});

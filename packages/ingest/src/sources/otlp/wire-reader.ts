/** A malformed protobuf body: the request is refused as a whole (400), naming where it broke. */
export class OtlpDecodeError extends Error {}

const utf8 = new TextDecoder("utf-8");

/** Reads protobuf's wire format (varints, fixed64, doubles, length-delimited fields) over one message. */
export class WireReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    readonly view: DataView,
  ) {
    this.pos = start;
  }

  /** A varint as a number; exact up to 2^53, which covers tags, lengths, enums and bools. */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpDecodeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A varint as a signed 64-bit integer (int64 uses two's complement in 10 bytes when negative). */
  varintInt64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpDecodeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new OtlpDecodeError(`truncated fixed64 at byte ${this.pos}`);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new OtlpDecodeError(`truncated double at byte ${this.pos}`);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** The bounds of a length-delimited field's payload; advances past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end)
      throw new OtlpDecodeError(`length ${len} at byte ${start} runs past the end of its message`);
    this.pos = start + len;
    return [start, start + len];
  }

  string(): string {
    const [a, b] = this.bytes();
    return utf8.decode(this.buf.subarray(a, b));
  }

  sub(): WireReader {
    const [a, b] = this.bytes();
    return new WireReader(this.buf, a, b, this.view);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) throw new OtlpDecodeError(`truncated fixed64 at byte ${this.pos}`);
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        if (this.pos + 4 > this.end) throw new OtlpDecodeError(`truncated fixed32 at byte ${this.pos}`);
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  /** Reads the next tag: [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) throw new OtlpDecodeError(`field number 0 at byte ${this.pos}`);
    return [field, t & 7];
  }
}

export function expectWire(actual: number, expected: number, what: string, pos: number): void {
  if (actual !== expected)
    throw new OtlpDecodeError(`${what}: wire type ${actual}, expected ${expected} (byte ${pos})`);
}

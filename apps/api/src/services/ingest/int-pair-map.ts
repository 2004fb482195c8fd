/** (a, b) → value for non-negative int32 pairs: open addressing over typed arrays, no allocation per lookup. */
export class IntPairMap {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private v = new Int32Array(1024).fill(-1);
  private size = 0;

  /** The value, or -1. */
  get(a: number, b: number): number {
    const mask = this.v.length - 1;
    for (let i = hashPair(a, b) & mask; ; i = (i + 1) & mask) {
      const v = this.v[i]!;
      if (v < 0 || (this.a[i] === a && this.b[i] === b)) return v;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.v.length) this.rehash();
    const mask = this.v.length - 1;
    let i = hashPair(a, b) & mask;
    while (this.v[i]! >= 0 && !(this.a[i] === a && this.b[i] === b)) i = (i + 1) & mask;
    if (this.v[i]! < 0) this.size++;
    this.a[i] = a;
    this.b[i] = b;
    this.v[i] = value;
  }

  private rehash(): void {
    const { a, b, v } = this;
    const cap = v.length * 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.v = new Int32Array(cap).fill(-1);
    this.size = 0;
    for (let i = 0; i < v.length; i++) if (v[i]! >= 0) this.set(a[i]!, b[i]!, v[i]!);
  }
}

function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12);
}

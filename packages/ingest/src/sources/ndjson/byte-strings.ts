/**
 * FNV-1a's offset basis, salted per process: hash collisions cannot be prepared in advance. Callers hash a
 * value's bytes from it (h = Math.imul(h ^ byte, 0x01000193), FNV-1a's prime) before `find` and `add`.
 */
export const HASH_SEED = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) | 0;

/** Byte strings → ids, by FNV-1a hash and byte comparison; each id carries the value its field gives it. */
export class ByteStrings {
  private slots = new Int32Array(64); // id + 1; 0 = empty
  private hashes: number[] = [];
  private starts: number[] = [];
  private lens: number[] = [];
  private pool = new Uint8Array(1024);
  private poolLen = 0;
  /** Per id: the normalised id of the value (service, region, method index, route, endpoint), or -1 if invalid. */
  readonly value: number[] = [];

  find(buf: Uint8Array, s: number, e: number, h: number): number {
    const mask = this.slots.length - 1;
    const len = e - s;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const id = this.slots[i]! - 1;
      if (id < 0) return -1;
      if (this.hashes[id] !== h || this.lens[id] !== len) continue;
      const o = this.starts[id]!;
      let j = 0;
      while (j < len && this.pool[o + j] === buf[s + j]) j++;
      if (j === len) return id;
    }
  }

  add(buf: Uint8Array, s: number, e: number, h: number, value: number): number {
    const id = this.hashes.length;
    const len = e - s;
    if (this.poolLen + len > this.pool.length) {
      const p = new Uint8Array(Math.max(this.pool.length * 2, this.poolLen + len));
      p.set(this.pool.subarray(0, this.poolLen));
      this.pool = p;
    }
    this.pool.set(buf.subarray(s, e), this.poolLen);
    this.hashes.push(h);
    this.starts.push(this.poolLen);
    this.lens.push(len);
    this.value.push(value);
    this.poolLen += len;
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let i = this.hashes[id]! & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.hashes.length; id++) this.place(id);
  }
}

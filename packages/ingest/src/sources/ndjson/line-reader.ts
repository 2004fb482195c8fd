import { DAY_MS } from "@burnrate/slo-core";
import { HASH_SEED } from "./byte-strings";

// Byte values and other constants of the per-byte loops are local to each file: an imported binding is read
// from its module cell at each use, which the scanner's loops measurably pay for.
const Q = 0x22; // "
const BS = 0x5c; // \
const COMMA = 0x2c;
const COLON = 0x3a;
const CLOSE = 0x7d; // }
const D0 = 0x30;
const DOT = 0x2e;

/** 10^k for k ≤ 22: exact doubles, so m / 10^k (m < 2^53) is the correctly rounded decimal, as JSON.parse gives. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_DIGITS = 15;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads the values of a canonical NDJSON line straight from its bytes: strings of printable ASCII without
 * escapes (with their hash, for interning), JSON numbers without a sign, and ISO-8601 times. The scanner
 * extends it; each read leaves its result in the reader's fields, so nothing is allocated per value.
 */
export class LineValueReader {
  // Scratch of the string value being read: its start, end (the closing quote) and hash.
  protected vs = 0;
  protected ve = 0;
  protected vh = 0;

  /** A JSON string of printable ASCII without escapes at buf[p] (the opening quote): sets vs, ve, vh. */
  protected string(buf: Uint8Array, p: number, end: number): boolean {
    if (buf[p] !== Q) return false;
    const s = p + 1;
    let h = HASH_SEED;
    let i = s;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === Q) break;
      if (c < 0x20 || c > 0x7e || c === BS) return false;
      h = Math.imul(h ^ c, 0x01000193); // FNV-1a
    }
    if (i >= end) return false;
    this.vs = s;
    this.ve = i;
    this.vh = h;
    return true;
  }

  protected num = 0;
  /**
   * A JSON number without a sign at buf[p] (`(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`) followed by ',' or
   * '}'. Sets `num` to the value JSON.parse gives it and returns the position after it, or -1. Up to 15 digits
   * and no exponent: m / 10^k, exact (m < 2^53 and 10^k are exact doubles, so the one division rounds
   * correctly, as JSON.parse does); otherwise Number() of the text, which is JSON.parse's conversion.
   */
  protected number(buf: Uint8Array, start: number, end: number): number {
    let p = start;
    let m = 0;
    let digits = 0;
    let c = buf[p]! - D0;
    if (!(c >= 0 && c <= 9)) return -1;
    if (c === 0) {
      p++;
      const n = buf[p]! - D0;
      if (n >= 0 && n <= 9) return -1; // a leading zero: not JSON
    } else {
      while (p < end && c >= 0 && c <= 9) {
        m = m * 10 + c;
        digits++;
        c = buf[++p]! - D0;
      }
    }
    let k = 0;
    if (buf[p] === DOT) {
      p++;
      c = buf[p]! - D0;
      if (!(c >= 0 && c <= 9)) return -1;
      while (p < end && c >= 0 && c <= 9) {
        m = m * 10 + c;
        digits++;
        k++;
        c = buf[++p]! - D0;
      }
    }
    let exact = digits <= MAX_DIGITS;
    const e = buf[p];
    if (e === 0x65 || e === 0x45) {
      // e / E, an optional sign, digits
      p++;
      if (buf[p] === 0x2b || buf[p] === 0x2d) p++;
      c = buf[p]! - D0;
      if (!(c >= 0 && c <= 9)) return -1;
      while (p < end && c >= 0 && c <= 9) c = buf[++p]! - D0;
      exact = false;
    }
    const n = buf[p];
    if (n !== COMMA && n !== CLOSE) return -1; // whitespace, anything else
    const v = !exact ? Number(ascii(buf, start, p)) : k === 0 ? m : m / POW10[k]!;
    if (v === Infinity) return -1; // 1e999: JSON.parse gives Infinity, which no field accepts
    this.num = v;
    return p;
  }

  protected isoLen = 0;
  /**
   * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)"` at buf[p]: epoch ms as Date.parse gives it, or NaN; sets isoLen
   * (the characters inside the quotes). Only real calendar dates and times (V8 also takes e.g. Feb 30).
   */
  protected isoTime(buf: Uint8Array, p: number, end: number): number {
    if (p + 20 > end) return NaN;
    const y = d4(buf, p);
    const mo = d2(buf, p + 5);
    const d = d2(buf, p + 8);
    const h = d2(buf, p + 11);
    const mi = d2(buf, p + 14);
    const s = d2(buf, p + 17);
    if (
      y < 0 ||
      buf[p + 4] !== 0x2d ||
      buf[p + 7] !== 0x2d ||
      buf[p + 10] !== 0x54 || // T
      buf[p + 13] !== COLON ||
      buf[p + 16] !== COLON ||
      mo < 1 ||
      mo > 12 ||
      d < 1 ||
      d > (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!) ||
      h < 0 ||
      h > 23 ||
      mi < 0 ||
      mi > 59 ||
      s < 0 ||
      s > 59
    )
      return NaN;
    let q = p + 19;
    let ms = 0;
    if (buf[q] === DOT) {
      // 1-9 digits; milliseconds are the first three (V8 truncates the rest).
      q++;
      let n = 0;
      let scale = 100;
      while (n < 9) {
        const c = buf[q]! - D0;
        if (!(c >= 0 && c <= 9)) break;
        if (n < 3) ms += c * scale;
        scale /= 10;
        n++;
        q++;
      }
      if (n === 0) return NaN;
      const c = buf[q]! - D0;
      if (c >= 0 && c <= 9) return NaN; // more than 9 fraction digits
    }
    let offsetMin = 0;
    const z = buf[q];
    if (z === 0x5a)
      q++; // Z
    else if (z === 0x2b || z === 0x2d) {
      if (q + 6 > end || buf[q + 3] !== COLON) return NaN;
      const oh = d2(buf, q + 1);
      const om = d2(buf, q + 4);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
      offsetMin = (z === 0x2b ? 1 : -1) * (oh * 60 + om);
      q += 6;
    } else return NaN;
    if (buf[q] !== Q) return NaN;
    this.isoLen = q - p;
    return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
  }
}

/** The ASCII bytes [s, e) as a string (only for values seen for the first time). */
export function ascii(buf: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]!);
  return out;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function d2(buf: Uint8Array, p: number): number {
  const a = buf[p]! - D0;
  const b = buf[p + 1]! - D0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function d4(buf: Uint8Array, p: number): number {
  const a = d2(buf, p);
  const b = d2(buf, p + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

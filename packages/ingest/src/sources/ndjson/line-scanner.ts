import { HTTP_METHODS, parseEndpoint, type RequestRecord } from "@burnrate/contracts";
import {
  LATE_DATA_HORIZON_MS,
  MAX_FUTURE_SKEW_MS,
  ingestMethod,
  ingestSlug,
  isIngestRoute,
} from "../../records/validate-record";

/**
 * The ingest fast path: reads one NDJSON line of the canonical flat shape straight from the body's bytes into
 * numbers and small integer ids, without building an object or a string per line.
 *
 * It understands exactly one shape: `{"key":value,…}` with no whitespace, the keys `ts`, `service`, `region`,
 * `status`, `durationMs` and either `method` + `route` or `endpoint`, each once and nothing else; strings of
 * printable ASCII without escapes; numbers without a sign;
 * `ts` as such a number or as `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` with a valid calendar date. Anything
 * else, and any line that is not valid, returns false: the caller then takes the slow path (JSON.parse +
 * validateRequestRecord), which gives the error. When `scan` returns true, the slow path would have accepted
 * the line with the same record (`record()` rebuilds it; ingest-scan.test.ts checks this on generated lines).
 *
 * Strings are interned by their bytes (one hash-table probe per field), and each distinct value is validated
 * and normalised once, by the slow path's own functions (`ingestSlug`, `ingestMethod`, `isIngestRoute`,
 * `parseEndpoint`), so the two paths cannot disagree about a string.
 */

const Q = 0x22; // "
const BS = 0x5c; // \
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const D0 = 0x30;
const DOT = 0x2e;

const K_TS = 1;
const K_SERVICE = 2;
const K_METHOD = 4;
const K_ROUTE = 8;
const K_ENDPOINT = 16;
const K_REGION = 32;
const K_STATUS = 64;
const K_DURATION = 128;
const K_COMMON = K_TS | K_SERVICE | K_REGION | K_STATUS | K_DURATION;

/** 10^k for k ≤ 22: exact doubles, so m / 10^k (m < 2^53) is the correctly rounded decimal, as JSON.parse gives. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_DIGITS = 15;

const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** FNV-1a's offset basis, salted per process: hash collisions cannot be prepared in advance. */
const HASH_SEED = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) | 0;
/** Distinct values per field and body that the fast path interns; lines with more go the slow path. */
const MAX_INTERNED = 4096;

/** Byte strings → ids, by FNV-1a hash and byte comparison; each id carries the value its field gives it. */
class ByteStrings {
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

/** The ASCII bytes [s, e) as a string (only for values seen for the first time). */
function ascii(buf: Uint8Array, s: number, e: number): string {
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

export class RequestLineScanner {
  // Results of the last successful scan().
  tsMs = 0;
  durationMs = 0;
  status = 0;
  /** Index into `services`. */
  service = 0;
  /** Index into `regions`. */
  region = 0;
  /** Index into `endpoints` (method + route; not yet bound to a service). */
  endpoint = 0;

  /** Normalised values, in order of first sight, shared by the fast path and `intern` (the slow path's records). */
  readonly services: string[] = [];
  readonly regions: string[] = [];
  readonly endpoints: { method: string; route: string }[] = [];

  private readonly serviceIds = new Map<string, number>();
  private readonly regionIds = new Map<string, number>();
  private readonly routeIds = new Map<string, number>();
  private readonly routes: string[] = [];
  /** routeId * 16 + method index → endpoint index. */
  private readonly endpointIds = new Map<number, number>();

  private readonly rawService = new ByteStrings();
  private readonly rawRegion = new ByteStrings();
  private readonly rawMethod = new ByteStrings();
  private readonly rawRoute = new ByteStrings();
  private readonly rawEndpoint = new ByteStrings();

  // Scratch of the string value being read.
  private vs = 0;
  private ve = 0;
  private vh = 0;

  /** Sets service, region and endpoint to the ids of a record the slow path accepted. */
  intern(r: RequestRecord): void {
    this.service = this.idOf(this.serviceIds, this.services, r.service);
    this.region = this.idOf(this.regionIds, this.regions, r.region);
    this.endpoint = this.endpointOf(HTTP_METHODS.indexOf(r.method as (typeof HTTP_METHODS)[number]), r.route);
  }

  /** The record of the last successful scan(), as validateRequestRecord gives it. */
  record(): RequestRecord {
    const e = this.endpoints[this.endpoint]!;
    return {
      tsMs: this.tsMs,
      service: this.services[this.service]!,
      method: e.method,
      route: e.route,
      region: this.regions[this.region]!,
      status: this.status,
      durationMs: this.durationMs,
    };
  }

  /**
   * Reads the line buf[start, end) (without its newline). True: the line is a valid record, now in this
   * scanner's fields. False: the fast path does not vouch for it (invalid, or a form it does not read).
   */
  scan(buf: Uint8Array, start: number, end: number, nowMs: number): boolean {
    if (end > start && buf[end - 1] === 0x0d) end--; // CRLF line ends
    if (end - start < 2 || buf[start] !== OPEN || buf[end - 1] !== CLOSE) return false;
    let p = start + 1;
    let seen = 0;
    let service = -1;
    let region = -1;
    let method = -1;
    let route = -1;
    let endpoint = -1;
    for (;;) {
      // "key":
      if (buf[p] !== Q) return false;
      const key = keyAt(buf, p + 1);
      if (key === 0 || (seen & key) !== 0) return false;
      p += KEY_LEN[key]! + 3;
      seen |= key;
      switch (key) {
        case K_TS: {
          if (buf[p] === Q) {
            const t = this.isoTime(buf, p + 1, end);
            if (t !== t) return false; // NaN
            this.tsMs = t;
            p += 1 + this.isoLen + 1;
          } else {
            const q = this.number(buf, p, end);
            if (q < 0) return false;
            this.tsMs = this.num;
            p = q;
          }
          break;
        }
        case K_STATUS: {
          const q = this.number(buf, p, end);
          if (q < 0) return false;
          this.status = this.num;
          p = q;
          break;
        }
        case K_DURATION: {
          const q = this.number(buf, p, end);
          if (q < 0) return false;
          this.durationMs = this.num;
          p = q;
          break;
        }
        default: {
          if (!this.string(buf, p, end)) return false;
          p = this.ve + 1;
          const s = this.vs;
          const e = this.ve;
          const h = this.vh;
          if (key === K_SERVICE) service = this.lookup(this.rawService, buf, s, e, h, K_SERVICE);
          else if (key === K_REGION) region = this.lookup(this.rawRegion, buf, s, e, h, K_REGION);
          else if (key === K_METHOD) method = this.lookup(this.rawMethod, buf, s, e, h, K_METHOD);
          else if (key === K_ROUTE) route = this.lookup(this.rawRoute, buf, s, e, h, K_ROUTE);
          else endpoint = this.lookup(this.rawEndpoint, buf, s, e, h, K_ENDPOINT);
        }
      }
      const c = buf[p];
      if (c === COMMA) p++;
      else if (c === CLOSE && p === end - 1) break;
      else return false;
    }
    // The key set: the common keys and exactly one of method + route or endpoint.
    let ep: number;
    if (seen === (K_COMMON | K_ENDPOINT)) ep = endpoint;
    else if (seen === (K_COMMON | K_METHOD | K_ROUTE)) {
      if (method < 0 || route < 0) return false;
      ep = this.endpointIds.get(route * 16 + method) ?? this.endpointOfIds(method, route);
    } else return false;
    const ts = this.tsMs;
    const st = this.status;
    if (
      service < 0 ||
      region < 0 ||
      ep < 0 ||
      ts > nowMs + MAX_FUTURE_SKEW_MS ||
      ts < nowMs - LATE_DATA_HORIZON_MS ||
      st !== Math.floor(st) ||
      st < 100 ||
      st > 599
    )
      return false;
    this.service = service;
    this.region = region;
    this.endpoint = ep;
    return true;
  }

  /** A JSON string of printable ASCII without escapes at buf[p] (the opening quote): sets vs, ve, vh. */
  private string(buf: Uint8Array, p: number, end: number): boolean {
    if (buf[p] !== Q) return false;
    const s = p + 1;
    let h = HASH_SEED;
    let i = s;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === Q) break;
      if (c < 0x20 || c > 0x7e || c === BS) return false;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (i >= end) return false;
    this.vs = s;
    this.ve = i;
    this.vh = h;
    return true;
  }

  private num = 0;
  /**
   * A JSON number without a sign at buf[p] (`(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`) followed by ',' or
   * '}'. Sets `num` to the value JSON.parse gives it and returns the position after it, or -1. Up to 15 digits
   * and no exponent: m / 10^k, exact (m < 2^53 and 10^k are exact doubles, so the one division rounds
   * correctly, as JSON.parse does); otherwise Number() of the text, which is JSON.parse's conversion.
   */
  private number(buf: Uint8Array, start: number, end: number): number {
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

  private isoLen = 0;
  /**
   * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)"` at buf[p]: epoch ms as Date.parse gives it, or NaN; sets isoLen
   * (the characters inside the quotes). Only real calendar dates and times (V8 also takes e.g. Feb 30).
   */
  private isoTime(buf: Uint8Array, p: number, end: number): number {
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

  /** The value of a string field (an id, or -1 when invalid); -1 also past MAX_INTERNED distinct values. */
  private lookup(t: ByteStrings, buf: Uint8Array, s: number, e: number, h: number, key: number): number {
    const id = t.find(buf, s, e, h);
    if (id >= 0) return t.value[id]!;
    if (t.value.length >= MAX_INTERNED) return -1;
    const str = ascii(buf, s, e);
    let v: number;
    if (key === K_SERVICE || key === K_REGION) {
      const slug = ingestSlug(str);
      v =
        slug === null
          ? -1
          : key === K_SERVICE
            ? this.idOf(this.serviceIds, this.services, slug)
            : this.idOf(this.regionIds, this.regions, slug);
    } else if (key === K_METHOD) {
      const m = ingestMethod(str);
      v = m === null ? -1 : HTTP_METHODS.indexOf(m as (typeof HTTP_METHODS)[number]);
    } else if (key === K_ROUTE) {
      v = isIngestRoute(str) ? this.idOf(this.routeIds, this.routes, str) : -1;
    } else {
      const ep = parseEndpoint(str);
      v = ep === null ? -1 : this.endpointOf(HTTP_METHODS.indexOf(ep.method as never), ep.route);
    }
    t.add(buf, s, e, h, v);
    return v;
  }

  private idOf(ids: Map<string, number>, list: string[], s: string): number {
    let id = ids.get(s);
    if (id === undefined) {
      id = list.length;
      ids.set(s, id);
      list.push(s);
    }
    return id;
  }

  private endpointOf(method: number, route: string): number {
    const r = this.idOf(this.routeIds, this.routes, route);
    return this.endpointIds.get(r * 16 + method) ?? this.endpointOfIds(method, r);
  }

  private endpointOfIds(method: number, routeId: number): number {
    const id = this.endpoints.length;
    this.endpointIds.set(routeId * 16 + method, id);
    this.endpoints.push({ method: HTTP_METHODS[method]!, route: this.routes[routeId]! });
    return id;
  }
}

/** `key":` → bit, for each key the fast path reads. */
const KEYS: [number, Uint8Array][] = (
  [
    [K_TS, "ts"],
    [K_SERVICE, "service"],
    [K_METHOD, "method"],
    [K_ROUTE, "route"],
    [K_ENDPOINT, "endpoint"],
    [K_REGION, "region"],
    [K_STATUS, "status"],
    [K_DURATION, "durationMs"],
  ] as const
).map(([k, name]) => [k, Uint8Array.from(`${name}":`, (c) => c.charCodeAt(0))]);
const KEY_LEN: number[] = [];
for (const [k, bytes] of KEYS) KEY_LEN[k] = bytes.length - 2;
const KEY_T = KEYS[0]![1];
const KEY_SERVICE = KEYS[1]![1];
const KEY_METHOD = KEYS[2]![1];
const KEY_ROUTE = KEYS[3]![1];
const KEY_ENDPOINT = KEYS[4]![1];
const KEY_REGION = KEYS[5]![1];
const KEY_STATUS = KEYS[6]![1];
const KEY_DURATION = KEYS[7]![1];

/**
 * The bit of the key at buf[s] (just after its opening quote), including its closing quote and the colon, or 0
 * for a key the fast path does not read. Dispatch on the first bytes, then one comparison.
 */
function keyAt(buf: Uint8Array, s: number): number {
  switch (buf[s]) {
    case 0x74: // t
      return sameBytes(buf, s, KEY_T) ? K_TS : 0;
    case 0x73: // s
      return buf[s + 1] === 0x65
        ? sameBytes(buf, s, KEY_SERVICE)
          ? K_SERVICE
          : 0
        : sameBytes(buf, s, KEY_STATUS)
          ? K_STATUS
          : 0;
    case 0x6d: // m
      return sameBytes(buf, s, KEY_METHOD) ? K_METHOD : 0;
    case 0x72: // r
      return buf[s + 1] === 0x6f
        ? sameBytes(buf, s, KEY_ROUTE)
          ? K_ROUTE
          : 0
        : sameBytes(buf, s, KEY_REGION)
          ? K_REGION
          : 0;
    case 0x65: // e
      return sameBytes(buf, s, KEY_ENDPOINT) ? K_ENDPOINT : 0;
    case 0x64: // d
      return sameBytes(buf, s, KEY_DURATION) ? K_DURATION : 0;
    default:
      return 0;
  }
}

function sameBytes(buf: Uint8Array, s: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (buf[s + i] !== word[i]) return false;
  return true;
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

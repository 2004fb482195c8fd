import { HTTP_METHODS, parseEndpoint, type RequestRecord } from "@burnrate/contracts";
import {
  LATE_DATA_HORIZON_MS,
  MAX_FUTURE_SKEW_MS,
  ingestMethod,
  ingestRegion,
  ingestSlug,
  isIngestRoute,
} from "../../records/validate-record";
import { ByteStrings } from "./byte-strings";
import { LineValueReader, ascii } from "./line-reader";

const Q = 0x22; // " (byte values are local to each file, see line-reader.ts)
const COMMA = 0x2c;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

const K_TS = 1;
const K_SERVICE = 2;
const K_METHOD = 4;
const K_ROUTE = 8;
const K_ENDPOINT = 16;
const K_REGION = 32;
const K_STATUS = 64;
const K_DURATION = 128;
const K_COMMON = K_TS | K_SERVICE | K_REGION | K_STATUS | K_DURATION;

/** Distinct values per field and body that the fast path interns; lines with more go the slow path. */
const MAX_INTERNED = 4096;

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
 * the line with the same record (`record()` rebuilds it; line-scanner.test.ts checks this on generated lines).
 *
 * Strings are interned by their bytes (one hash-table probe per field), and each distinct value is validated
 * and normalised once, by the slow path's own functions (`ingestSlug`, `ingestMethod`, `isIngestRoute`,
 * `parseEndpoint`), so the two paths cannot disagree about a string.
 */

/** An endpoint's method and route (not yet bound to a service). */
export interface RouteOf {
  method: string;
  route: string;
}

export class RequestLineScanner extends LineValueReader {
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
  readonly endpoints: RouteOf[] = [];

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

  /** Sets service, region and endpoint to the ids of a record the slow path accepted. */
  intern(r: RequestRecord): void {
    this.service = this.idOf(this.serviceIds, this.services, r.service);
    this.region = this.idOf(this.regionIds, this.regions, r.region);
    this.endpoint = this.endpointOf(HTTP_METHODS.indexOf(r.method as (typeof HTTP_METHODS)[number]), r.route);
  }

  /**
   * Takes over another scanner's values (a batch parsed in a worker thread): each list in its order of first
   * sight, so the ids are the same as there.
   */
  adopt(services: readonly string[], regions: readonly string[], endpoints: readonly RouteOf[]): void {
    if (this.services.length > 0 || this.regions.length > 0 || this.endpoints.length > 0)
      throw new Error("adopt: the scanner already has values");
    for (const s of services) this.idOf(this.serviceIds, this.services, s);
    for (const r of regions) this.idOf(this.regionIds, this.regions, r);
    for (const e of endpoints) this.endpointOf(HTTP_METHODS.indexOf(e.method as never), e.route);
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
  scan(
    buf: Uint8Array,
    start: number,
    end: number,
    nowMs: number,
    horizonMs: number = LATE_DATA_HORIZON_MS,
  ): boolean {
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
      ts < nowMs - horizonMs ||
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

  /** The value of a string field (an id, or -1 when invalid); -1 also past MAX_INTERNED distinct values. */
  private lookup(t: ByteStrings, buf: Uint8Array, s: number, e: number, h: number, key: number): number {
    const id = t.find(buf, s, e, h);
    if (id >= 0) return t.value[id]!;
    if (t.value.length >= MAX_INTERNED) return -1;
    const str = ascii(buf, s, e);
    let v: number;
    if (key === K_SERVICE || key === K_REGION) {
      const slug = key === K_SERVICE ? ingestSlug(str) : ingestRegion(str);
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

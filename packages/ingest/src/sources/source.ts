import { MINUTE_MS } from "@burnrate/slo-core";
import type { RequestBatch } from "../records/request-batch";

/**
 * Where request data comes from, behind one seam per kind:
 *
 * - A push source is sent data (an HTTP body: NDJSON, OTLP) and reads one whole body into a RequestBatch:
 *   the accepted records column by column, and each refused line or span with its line, field and message.
 *   The seam is crossed once per body, never per line: a source's own loop does the per-record work.
 * - A pull source is asked for data (Prometheus first): given a query and a range of whole minutes, it
 *   yields the per-minute good/total counts of that range.
 *
 * Either way, what comes out is what an SLO is computed from: counts per minute. Sources never touch the
 * database; the API (push) and the worker (pull) store what they yield.
 */

/** The names a source gives the record's route and region fields, for the errors that name them. */
export interface RecordFieldNames {
  route: string;
  region: string;
}

/** What a push source read from one body. */
export interface PushedBatch {
  /** The accepted records and the refused ones (`errors`, `rejected`). */
  batch: RequestBatch;
  /** Items of the body that are neither records nor errors (OTLP: spans that are not server spans). */
  ignored: number;
}

/** A source that is sent its data, one body at a time. */
export interface PushSource<Options = undefined> {
  /** Its name in logs and metrics: "ndjson", "otlp". */
  readonly name: string;
  /** Its names of the route and region fields ("route", or OTLP's "http.route"), for errors found later. */
  readonly fieldNames: RecordFieldNames;
  /**
   * Reads one whole body received at `nowMs` (record times are checked against it). A bad line or span costs
   * only itself (it is in the batch's errors); a body that cannot be read at all throws a ValidationError.
   */
  read(body: Uint8Array, nowMs: number, options: Options): PushedBatch;
}

/** A range of whole minutes, [fromMs, toMs): both multiples of a minute, fromMs ≤ toMs. */
export interface MinuteRange {
  fromMs: number;
  toMs: number;
}

/** The counts of one minute: the requests that met the SLI (`good`) among those that count (`total`). */
export interface MinuteCounts {
  /** The minute's start, epoch ms. */
  minuteMs: number;
  good: number;
  total: number;
}

/**
 * A source that is asked for its data. For one query (what to count, in the source's own terms: a PromQL
 * pair for Prometheus) and one range of whole minutes, it yields the minutes of that range that have data,
 * in ascending order, each once; a minute it leaves out had no traffic (which is "no data", not "all good").
 * It holds no state between calls: the caller chooses the ranges (backfill, then the recent minutes).
 */
export interface PullSource<Query> {
  /** Its name in logs and metrics: "prometheus". */
  readonly name: string;
  pull(query: Query, range: MinuteRange, signal?: AbortSignal): AsyncIterable<MinuteCounts>;
}

/** Whether `r` is a range a pull source accepts: whole minutes, not reversed. */
export function isMinuteRange(r: MinuteRange): boolean {
  return (
    Number.isSafeInteger(r.fromMs) &&
    Number.isSafeInteger(r.toMs) &&
    r.fromMs % MINUTE_MS === 0 &&
    r.toMs % MINUTE_MS === 0 &&
    r.fromMs <= r.toMs
  );
}

/** The smallest range of whole minutes that holds [fromMs, toMs). */
export function minuteRangeCovering(fromMs: number, toMs: number): MinuteRange {
  const from = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  return { fromMs: from, toMs: Math.max(from, Math.ceil(toMs / MINUTE_MS) * MINUTE_MS) };
}

import type { EventCounts } from "@burnrate/slo-core";

/**
 * Prometheus as an SLI source: good (or bad) and total events over a window that ends at an aligned instant,
 * asked of Prometheus's HTTP API as instant queries at that instant. A query is either
 *
 * - a counter series selector, `http_requests_total{job="api",code=~"5.."}`, read as
 *   `sum(increase(<selector>[<window>]))`: exactly what PromQL answers for that window; or
 * - an expression with the `{{.window}}` placeholder (Sloth's form, e.g. `sum(rate(x[{{.window}}]))`), read as
 *   a per-second rate over the window, times the window's seconds (PromQL's increase is rate × range).
 *
 * An empty answer (no series) is "no data", never zero: the caller must not read it as all good.
 */
export interface PrometheusQuery {
  url: string;
  good?: string | undefined;
  bad?: string | undefined;
  total: string;
}

export interface PrometheusOptions {
  /** One attempt's time limit. */
  timeoutMs: number;
  /** Further attempts after a failed one (network error, timeout, 5xx, 429). */
  retries: number;
  /** Wait before the first retry, doubled each time. */
  backoffMs: number;
  fetch?: typeof fetch;
  /** Extra headers (e.g. Authorization), never logged. */
  headers?: Record<string, string>;
}

export const DEFAULT_PROMETHEUS_OPTIONS: PrometheusOptions = {
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: 250,
};

/** A query Prometheus refused or could not answer: `retryable` is false for a bad query (4xx). */
export class PrometheusQueryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "PrometheusQueryError";
  }
}

const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;
/** A metric name with an optional label matcher list, nothing else. */
const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*\s*(\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})?$/;

/** Why `q` is not a query this source reads, or null when it is. */
export function promQueryProblem(q: string): string | null {
  const s = q.trim();
  if (s === "") return "is empty";
  if (WINDOW_PLACEHOLDER.test(s)) {
    WINDOW_PLACEHOLDER.lastIndex = 0;
    return null;
  }
  if (SELECTOR.test(s)) return null;
  return 'must be a counter series selector (metric{label="value"}) or an expression with the {{.window}} placeholder';
}

/** PromQL range duration of a window, in whole seconds ("3600s"). */
export function promDuration(windowMs: number): string {
  return `${Math.round(windowMs / 1000)}s`;
}

/** The PromQL expression whose value is the number of events `q` counts over a window of `windowMs`. */
export function windowExpr(q: string, windowMs: number): string {
  const s = q.trim();
  const d = promDuration(windowMs);
  if (WINDOW_PLACEHOLDER.test(s)) {
    WINDOW_PLACEHOLDER.lastIndex = 0;
    return `sum(${s.replace(WINDOW_PLACEHOLDER, d)}) * ${Math.round(windowMs / 1000)}`;
  }
  return `sum(increase(${s}[${d}]))`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One instant query at `atMs`: its single value, or null when the answer has no series. */
export async function promInstant(
  url: string,
  expr: string,
  atMs: number,
  opts: PrometheusOptions = DEFAULT_PROMETHEUS_OPTIONS,
): Promise<number | null> {
  const data = await promApi(url, "query", { query: expr, time: (atMs / 1000).toFixed(3) }, opts);
  return readSingle(data);
}

/**
 * One range query from `startMs` to `endMs` every `stepMs`: its single series' values by instant (empty when
 * the answer has no series).
 */
export async function promRange(
  url: string,
  expr: string,
  startMs: number,
  endMs: number,
  stepMs: number,
  opts: PrometheusOptions = DEFAULT_PROMETHEUS_OPTIONS,
): Promise<Map<number, number>> {
  const data = await promApi(
    url,
    "query_range",
    {
      query: expr,
      start: (startMs / 1000).toFixed(3),
      end: (endMs / 1000).toFixed(3),
      step: `${stepMs / 1000}s`,
    },
    opts,
  );
  if (data?.resultType !== "matrix" || !Array.isArray(data.result))
    throw new PrometheusQueryError(`expected a range vector, got ${data?.resultType ?? "nothing"}`, false);
  if (data.result.length > 1)
    throw new PrometheusQueryError(
      `the query gives ${data.result.length} series; it must sum to one (wrap it in sum())`,
      false,
    );
  const out = new Map<number, number>();
  for (const [t, v] of (data.result[0] as { values?: [number, string][] } | undefined)?.values ?? []) {
    const n = parseValue(v);
    if (n !== null) out.set(Math.round(t * 1000), n);
  }
  return out;
}

/** A POST to Prometheus's HTTP API (`/api/v1/<path>`), with retries: its `data`. */
async function promApi(
  url: string,
  apiPath: string,
  params: Record<string, string>,
  opts: PrometheusOptions,
): Promise<{ resultType?: string; result?: unknown[] } | undefined> {
  const doFetch = opts.fetch ?? fetch;
  const endpoint = `${url.replace(/\/+$/, "")}/api/v1/${apiPath}`;
  const body = new URLSearchParams(params);
  let last: PrometheusQueryError | null = null;
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) await sleep(opts.backoffMs * 2 ** (attempt - 1));
    try {
      const res = await doFetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...opts.headers },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      const text = await res.text();
      let json: { status?: string; error?: string; data?: { resultType?: string; result?: unknown[] } } = {};
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        // not JSON: a proxy's page, say
      }
      if (!res.ok || json.status !== "success") {
        const retryable = res.status >= 500 || res.status === 429;
        last = new PrometheusQueryError(
          `Prometheus answered ${res.status}: ${(json.error ?? text).slice(0, 300)}`,
          retryable,
        );
        if (!retryable) throw last;
        continue;
      }
      return json.data;
    } catch (err) {
      if (err instanceof PrometheusQueryError && !err.retryable) throw err;
      last =
        err instanceof PrometheusQueryError
          ? err
          : new PrometheusQueryError(
              (err as Error).name === "TimeoutError"
                ? `Prometheus did not answer within ${opts.timeoutMs} ms`
                : `Prometheus unreachable: ${(err as Error).message}`,
              true,
            );
    }
  }
  throw last ?? new PrometheusQueryError("Prometheus query failed", true);
}

function readSingle(data: { resultType?: string; result?: unknown[] } | undefined): number | null {
  if (data?.resultType === "scalar") return parseValue((data.result as unknown[])[1]);
  if (data?.resultType !== "vector" || !Array.isArray(data.result))
    throw new PrometheusQueryError(`expected an instant vector, got ${data?.resultType ?? "nothing"}`, false);
  if (data.result.length === 0) return null;
  if (data.result.length > 1)
    throw new PrometheusQueryError(
      `the query gives ${data.result.length} series; it must sum to one (wrap it in sum())`,
      false,
    );
  return parseValue((data.result[0] as { value: [number, string] }).value[1]);
}

function parseValue(v: unknown): number | null {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Good and total events over each window [toMs − w, toMs), by window length: what PromQL answers for each
 * window at `toMs`. A window whose total has no series is absent from the map (no data).
 */
export async function promWindowCounts(
  q: PrometheusQuery,
  windowsMs: number[],
  toMs: number,
  opts: PrometheusOptions = DEFAULT_PROMETHEUS_OPTIONS,
): Promise<Map<number, EventCounts>> {
  const out = new Map<number, EventCounts>();
  const goodQ = q.good ?? q.bad;
  if (goodQ === undefined) throw new PrometheusQueryError("give a good or a bad query", false);
  const results = await Promise.all(
    [...new Set(windowsMs)].map(async (w) => {
      const [total, events] = await Promise.all([
        promInstant(q.url, windowExpr(q.total, w), toMs, opts),
        promInstant(q.url, windowExpr(goodQ, w), toMs, opts),
      ]);
      return { w, total, events };
    }),
  );
  for (const { w, total, events } of results) {
    if (total === null) continue;
    // No series for the good (bad) query while total has some: none of the events was good (bad).
    const e = events ?? 0;
    out.set(w, { good: q.good !== undefined ? e : total - e, total });
  }
  return out;
}

/**
 * Good and total events of each minute [t − 1 min, t) for the minute ends t in (fromMs, toMs] (both on minute
 * boundaries): PromQL's own increase over each minute, by the minute's start. Minutes whose total has no
 * value (Prometheus holds nothing there) are absent.
 */
export async function promMinuteCounts(
  q: PrometheusQuery,
  fromMs: number,
  toMs: number,
  opts: PrometheusOptions = DEFAULT_PROMETHEUS_OPTIONS,
): Promise<Map<number, EventCounts>> {
  const goodQ = q.good ?? q.bad;
  if (goodQ === undefined) throw new PrometheusQueryError("give a good or a bad query", false);
  const [total, events] = await Promise.all([
    promRange(q.url, windowExpr(q.total, MINUTE), fromMs + MINUTE, toMs, MINUTE, opts),
    promRange(q.url, windowExpr(goodQ, MINUTE), fromMs + MINUTE, toMs, MINUTE, opts),
  ]);
  const out = new Map<number, EventCounts>();
  for (const [t, n] of total) {
    const e = events.get(t) ?? 0;
    out.set(t - MINUTE, { good: q.good !== undefined ? e : n - e, total: n });
  }
  return out;
}

const MINUTE = 60_000;

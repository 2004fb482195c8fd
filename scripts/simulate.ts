/**
 * Demo traffic for Burnrate: seeds a catalog (teams, services, SLOs, deployments) through the HTTP API, backfills the
 * last hours of request logs, and with --live keeps sending the traffic of each elapsed interval until SIGINT/SIGTERM.
 * The traffic model (diurnal rates, latencies, incidents on a schedule) is scripts/lib/traffic.ts.
 *
 *   node --import tsx scripts/simulate.ts --help
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import {
  DEMO_CATALOG,
  deploymentsBetween,
  expectedRecords,
  generateChunks,
  incidentsBetween,
  type DeploymentEvent,
  type RequestRecord,
  type TrafficChunk,
  type TrafficOptions,
} from "./lib/traffic";

const gzip = promisify(gzipCb);
const HOUR = 3_600_000;
/** Ingest refuses records older than 7 days; keep a margin for the time the backfill itself takes. */
export const MAX_BACKFILL_HOURS = 7 * 24 - 1;
const DEPLOYMENT_HISTORY_MS = 48 * HOUR;

export const USAGE = `Usage: node --import tsx scripts/simulate.ts [options]

Seeds a demo catalog (teams payments and discovery; services checkout, payments-api, search; 7 SLOs; deployments
of the last 2 days) through the API, backfills request logs, and with --live keeps sending traffic.
Traffic follows a day curve per region (prod-eu, prod-us), with incidents every --incident-period-hours
(default 24 h, UTC): search prod-eu latency x3 07:00-08:00, checkout prod-eu 8% 5xx 10:30-10:50 after a bad
deploy, payments-api prod-us 0.8% 5xx 14:00-20:00, plus a seeded sporadic incident on most days.

Options:
  --url <url>                  API base URL (env BURNRATE_URL; default http://127.0.0.1:8080)
  --token <token>              admin API token (env BURNRATE_TOKEN, then BURNRATE_BOOTSTRAP_TOKEN)
  --seed <n|text>              PRNG seed of the traffic model (default 1): same seed, same traffic
  --backfill-hours <h>         hours of history to send, 0 to skip (default 48, at most ${MAX_BACKFILL_HOURS})
  --live                       after the backfill, send each elapsed interval's traffic until SIGINT/SIGTERM
  --scale <x>                  multiplies every request rate (default 1, about 8 req/s in total)
  --interval-ms <ms>           live send interval (default 5000)
  --incident-period-hours <h>  period of the incident schedule (default 24)
  --no-catalog                 do not create teams, services, SLOs and deployments
  --chunk-records <n>          records per ingest request (default 20000, about 2.5 MB of NDJSON before gzip)
  --concurrency <n>            ingest requests in flight during the backfill (default 4)
  --dry-run                    generate the backfill without sending anything, and report the speed
  -h, --help                   show this help
`;

export interface CliOptions {
  url: string;
  token: string | undefined;
  seed: number | string;
  backfillHours: number;
  live: boolean;
  scale: number;
  intervalMs: number;
  incidentPeriodHours: number;
  catalog: boolean;
  chunkRecords: number;
  concurrency: number;
  dryRun: boolean;
  help: boolean;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      seed: { type: "string" },
      "backfill-hours": { type: "string" },
      live: { type: "boolean" },
      scale: { type: "string" },
      "interval-ms": { type: "string" },
      "incident-period-hours": { type: "string" },
      "no-catalog": { type: "boolean" },
      "chunk-records": { type: "string" },
      concurrency: { type: "string" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const num = (
    name: string,
    raw: string | undefined,
    dflt: number,
    min: number,
    max: number,
    integer = false,
  ): number => {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new Error(
        `--${name} must be ${integer ? "an integer" : "a number"} between ${min} and ${max}, got '${raw}'`,
      );
    return n;
  };
  const seedRaw = values.seed;
  const url = (values.url ?? env.BURNRATE_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  try {
    new URL(url);
  } catch {
    throw new Error(`--url is not a URL: '${url}'`);
  }
  return {
    url,
    token: values.token ?? env.BURNRATE_TOKEN ?? env.BURNRATE_BOOTSTRAP_TOKEN ?? undefined,
    seed: seedRaw === undefined ? 1 : /^\d+$/.test(seedRaw) ? Number(seedRaw) : seedRaw,
    backfillHours: num("backfill-hours", values["backfill-hours"], 48, 0, MAX_BACKFILL_HOURS),
    live: values.live ?? false,
    scale: num("scale", values.scale, 1, 0.001, 10_000),
    intervalMs: num("interval-ms", values["interval-ms"], 5000, 250, 3_600_000, true),
    incidentPeriodHours: num("incident-period-hours", values["incident-period-hours"], 24, 1 / 60, 24 * 28),
    catalog: !(values["no-catalog"] ?? false),
    chunkRecords: num("chunk-records", values["chunk-records"], 20_000, 1, 200_000, true),
    concurrency: num("concurrency", values.concurrency, 4, 1, 32, true),
    dryRun: values["dry-run"] ?? false,
    help: values.help ?? false,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// HTTP

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** Worth retrying: network failure, timeout, 429 or 5xx. */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

interface Api {
  url: string;
  token: string;
}

async function request(
  api: Api,
  method: string,
  p: string,
  opts: { json?: unknown; body?: Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${api.token}`, ...opts.headers };
  let body: string | Buffer | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.body) body = opts.body;
  let res: Response;
  try {
    res = await fetch(api.url + p, {
      method,
      headers,
      body: body as unknown as RequestInit["body"], // a Buffer is a valid body for Node's fetch
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new ApiError(`${method} ${p}: ${why}`, null, true);
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

function fail(method: string, p: string, status: number, body: unknown): never {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const detail = e
    ? `${e.code ?? "error"}: ${e.message ?? ""}`
    : typeof body === "string"
      ? body.slice(0, 200)
      : JSON.stringify(body)?.slice(0, 200);
  throw new ApiError(`${method} ${p} -> ${status} ${detail}`, status, status === 429 || status >= 500);
}

async function call<T>(
  api: Api,
  method: string,
  p: string,
  opts: Parameters<typeof request>[3] & { okStatuses?: number[] } = {},
): Promise<{ status: number; body: T }> {
  const r = await request(api, method, p, opts);
  if ((r.status >= 200 && r.status < 300) || opts.okStatuses?.includes(r.status))
    return r as { status: number; body: T };
  fail(method, p, r.status, r.body);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { attempts: number; stop: AbortSignal; log: (s: string) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ApiError) || !e.transient || attempt >= opts.attempts || opts.stop.aborted) throw e;
      const wait = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      opts.log(
        `${what}: ${e.message}; retrying in ${wait / 1000}s (attempt ${attempt + 1}/${opts.attempts})`,
      );
      await sleep(wait, opts.stop);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Catalog

export async function seedCatalog(
  api: Api,
  log: (s: string) => void,
): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const t of DEMO_CATALOG.teams) {
    const r = await call(api, "POST", "/api/v1/teams", { json: t, okStatuses: [409] });
    (r.status === 409 ? existing : created).push(`team ${t.slug}`);
  }
  for (const s of DEMO_CATALOG.services) {
    const body = {
      slug: s.slug,
      name: s.name,
      team: s.team,
      description: s.description,
      runbookUrl: s.runbookUrl,
      tier: s.tier,
    };
    const r = await call(api, "POST", "/api/v1/services", { json: body, okStatuses: [409] });
    (r.status === 409 ? existing : created).push(`service ${s.slug}`);
  }
  for (const s of DEMO_CATALOG.services) {
    const { body } = await call<unknown>(
      api,
      "GET",
      `/api/v1/slos?service=${encodeURIComponent(s.slug)}&limit=1000`,
    );
    const list = (Array.isArray(body) ? body : ((body as { items?: unknown[] } | null)?.items ?? [])) as {
      name?: string;
    }[];
    const names = new Set(list.map((x) => x.name));
    for (const slo of DEMO_CATALOG.slos.filter((x) => x.service === s.slug)) {
      if (names.has(slo.name)) {
        existing.push(`SLO ${s.slug}/${slo.name}`);
        continue;
      }
      try {
        const r = await call(api, "POST", "/api/v1/slos", { json: slo, okStatuses: [409] });
        (r.status === 409 ? existing : created).push(`SLO ${s.slug}/${slo.name}`);
      } catch (e) {
        // A refused SLO (e.g. validation changed) should not stop the demo traffic.
        if (e instanceof ApiError && !e.transient)
          log(`warning: SLO '${slo.name}' not created: ${e.message}`);
        else throw e;
      }
    }
  }
  return { created, existing };
}

const deploymentKey = (d: { service: string; region: string | null; version: string; at: number | string }) =>
  `${d.service}|${d.region ?? ""}|${d.version}|${new Date(d.at).toISOString()}`;

/** Posts deployments not already recorded (same service, region, version and time). Returns those created. */
export async function postDeployments(
  api: Api,
  events: DeploymentEvent[],
  known: Set<string>,
): Promise<DeploymentEvent[]> {
  const posted: DeploymentEvent[] = [];
  for (const d of events) {
    const key = deploymentKey(d);
    if (known.has(key)) continue;
    await call(api, "POST", "/api/v1/deployments", {
      json: {
        service: d.service,
        region: d.region,
        version: d.version,
        kind: d.kind,
        at: d.at,
        ...(d.note ? { note: d.note } : {}),
      },
    });
    known.add(key);
    posted.push(d);
  }
  return posted;
}

async function knownDeployments(api: Api): Promise<Set<string>> {
  const known = new Set<string>();
  for (const s of DEMO_CATALOG.services) {
    const { body } = await call<{ service: string; region: string | null; version: string; at: string }[]>(
      api,
      "GET",
      `/api/v1/deployments?service=${encodeURIComponent(s.slug)}&limit=500`,
    );
    if (Array.isArray(body)) for (const d of body) known.add(deploymentKey(d));
  }
  return known;
}

// ---------------------------------------------------------------------------------------------------------------------
// Ingest

export interface IngestTotals {
  sent: number;
  accepted: number;
  rejected: number;
  failed: number;
  requests: number;
}

export function toNdjson(records: RequestRecord[]): string {
  let s = "";
  for (const r of records) s += JSON.stringify(r) + "\n";
  return s;
}

async function ingestChunk(
  api: Api,
  chunk: TrafficChunk,
): Promise<{ accepted: number; rejected: number; errors: { line: number; message: string }[] }> {
  const body = await gzip(Buffer.from(toNdjson(chunk.records)), { level: 5 });
  const { body: res } = await call<{
    accepted: number;
    rejected: number;
    errors?: { line: number; message: string }[];
  }>(api, "POST", "/api/v1/ingest/requests", {
    body,
    headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip" },
    timeoutMs: 120_000,
  });
  return { accepted: res.accepted ?? 0, rejected: res.rejected ?? 0, errors: res.errors ?? [] };
}

// ---------------------------------------------------------------------------------------------------------------------
// Main

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const log = (s: string) => console.log(`[simulate] ${s}`);
  let cli: CliOptions;
  try {
    cli = parseCli(argv);
  } catch (e) {
    console.error(`simulate: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const traffic: TrafficOptions = {
    seed: cli.seed,
    scale: cli.scale,
    incidentPeriodMs: cli.incidentPeriodHours * HOUR,
  };
  const startedAt = Date.now();
  const backfillFrom = startedAt - cli.backfillHours * HOUR;

  if (cli.dryRun) {
    const t0 = performance.now();
    let n = 0;
    let bytes = 0;
    for (const c of generateChunks(backfillFrom, startedAt, { ...traffic, maxRecords: cli.chunkRecords })) {
      n += c.records.length;
      bytes += Buffer.byteLength(toNdjson(c.records));
    }
    const secs = (performance.now() - t0) / 1000;
    log(
      `dry run: ${fmt(n)} records for ${cli.backfillHours} h at scale ${cli.scale} (expected ~${fmt(expectedRecords(backfillFrom, startedAt, traffic))}), ${(bytes / 1e6).toFixed(1)} MB of NDJSON`,
    );
    log(`generated and serialised in ${secs.toFixed(2)} s: ${fmt(n / Math.max(secs, 1e-9))} records/s`);
    printIncidents(log, backfillFrom, startedAt + 24 * HOUR, traffic);
    return 0;
  }
  if (!cli.token) {
    console.error("simulate: no API token: pass --token or set BURNRATE_TOKEN (or BURNRATE_BOOTSTRAP_TOKEN)");
    return 2;
  }
  const api: Api = { url: cli.url, token: cli.token };

  // Stop on SIGINT/SIGTERM: the first signal stops after the current request, a second one exits at once.
  const stopper = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopper.signal.aborted) {
      log(`${sig} again: exiting now`);
      process.exit(130);
    }
    log(`${sig}: stopping after the current request (send it again to exit at once)`);
    stopper.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const attempts = cli.live ? Number.POSITIVE_INFINITY : 6;

  try {
    log(
      `API ${cli.url}; seed ${cli.seed}, scale ${cli.scale}, about ${fmt(expectedRecords(startedAt - HOUR, startedAt, traffic))} records in the last hour`,
    );
    let deploymentsKnown = new Set<string>();
    if (cli.catalog) {
      const seeded = await withRetry("catalog", () => seedCatalog(api, log), {
        attempts,
        stop: stopper.signal,
        log,
      });
      log(
        `catalog: ${seeded.created.length} created${seeded.created.length ? ` (${seeded.created.join(", ")})` : ""}, ${seeded.existing.length} already there`,
      );
      deploymentsKnown = await withRetry("deployments", () => knownDeployments(api), {
        attempts,
        stop: stopper.signal,
        log,
      });
      const events = deploymentsBetween(startedAt - DEPLOYMENT_HISTORY_MS, startedAt, traffic);
      const n = (
        await withRetry("deployments", () => postDeployments(api, events, deploymentsKnown), {
          attempts,
          stop: stopper.signal,
          log,
        })
      ).length;
      log(`deployments: ${n} created, ${events.length - n} already there (last 48 h)`);
    }

    const totals: IngestTotals = { sent: 0, accepted: 0, rejected: 0, failed: 0, requests: 0 };
    let shownErrors = 0;
    const account = (res: {
      accepted: number;
      rejected: number;
      errors: { line: number; message: string }[];
    }) => {
      totals.accepted += res.accepted;
      totals.rejected += res.rejected;
      totals.requests++;
      for (const e of res.errors) if (shownErrors++ < 5) log(`rejected line ${e.line}: ${e.message}`);
    };

    if (cli.backfillHours > 0 && !stopper.signal.aborted) {
      printIncidents(log, backfillFrom, startedAt, traffic);
      log(
        `backfill ${iso(backfillFrom)} .. ${iso(startedAt)} (${cli.backfillHours} h, ~${fmt(expectedRecords(backfillFrom, startedAt, traffic))} records)`,
      );
      const t0 = performance.now();
      let lastReport = 0;
      let covered = backfillFrom;
      const inflight = new Set<Promise<void>>();
      for (const chunk of generateChunks(backfillFrom, startedAt, {
        ...traffic,
        maxRecords: cli.chunkRecords,
      })) {
        if (stopper.signal.aborted) break;
        const p: Promise<void> = withRetry(`ingest ${iso(chunk.fromMs)}`, () => ingestChunk(api, chunk), {
          attempts: 6,
          stop: stopper.signal,
          log,
        })
          .then(account, (e: Error) => {
            totals.failed += chunk.records.length;
            log(
              `ingest ${iso(chunk.fromMs)}..${iso(chunk.toMs)} failed, ${fmt(chunk.records.length)} records lost: ${e.message}`,
            );
            if (e instanceof ApiError && (e.status === 401 || e.status === 403)) stopper.abort();
          })
          .finally(() => {
            inflight.delete(p);
            covered = Math.max(covered, chunk.toMs);
            const now = performance.now();
            if (now - lastReport > 2000) {
              lastReport = now;
              const pct = (100 * (covered - backfillFrom)) / (startedAt - backfillFrom);
              log(
                `backfill ${pct.toFixed(0)}%: ${fmt(totals.sent)} sent, ${fmt(totals.accepted)} accepted, ${fmt(totals.rejected)} rejected`,
              );
            }
          });
        totals.sent += chunk.records.length;
        inflight.add(p);
        if (inflight.size >= cli.concurrency) await Promise.race(inflight);
      }
      await Promise.all(inflight);
      const secs = (performance.now() - t0) / 1000;
      log(
        `backfill ${stopper.signal.aborted ? "stopped" : "done"} in ${secs.toFixed(1)} s: ${fmt(totals.sent)} records in ${totals.requests} requests, ` +
          `${fmt(totals.accepted)} accepted, ${fmt(totals.rejected)} rejected${totals.failed ? `, ${fmt(totals.failed)} failed to send` : ""} (${fmt(totals.sent / Math.max(secs, 1e-9))} records/s)`,
      );
    }

    if (cli.live && !stopper.signal.aborted) {
      const live = await runLive(api, cli, traffic, startedAt, deploymentsKnown, stopper.signal, log);
      log(
        `live stopped: ${fmt(live.sent)} records sent, ${fmt(live.accepted)} accepted, ${fmt(live.rejected)} rejected in ${live.requests} requests`,
      );
    }
    return totals.failed > 0 ? 1 : 0;
  } catch (e) {
    if (stopper.signal.aborted) {
      log(`stopped: ${(e as Error).message}`);
      return 0;
    }
    console.error(`simulate: ${(e as Error).message}`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function printIncidents(
  log: (s: string) => void,
  fromMs: number,
  toMs: number,
  traffic: TrafficOptions,
): void {
  const list = incidentsBetween(fromMs, toMs, traffic);
  log(`${list.length} incidents between ${iso(fromMs)} and ${iso(toMs)}:`);
  for (const o of list) log(`  ${iso(o.startMs)} .. ${iso(o.endMs)}  ${o.title}`);
}

/** Sends [cursor, now) every interval. A failed send is logged and retried from where it stopped on the next tick. */
async function runLive(
  api: Api,
  cli: CliOptions,
  traffic: TrafficOptions,
  startMs: number,
  deploymentsKnown: Set<string>,
  stop: AbortSignal,
  log: (s: string) => void,
): Promise<IngestTotals> {
  const totals: IngestTotals = { sent: 0, accepted: 0, rejected: 0, failed: 0, requests: 0 };
  const maxCatchUpMs = MAX_BACKFILL_HOURS * HOUR;
  let cursor = startMs;
  let deployCursor = startMs;
  let failing = false;
  log(`live: sending every ${cli.intervalMs} ms; Ctrl-C to stop`);
  while (!stop.aborted) {
    await sleep(cli.intervalMs, stop);
    if (stop.aborted) break;
    const now = Date.now();
    if (now - cursor > maxCatchUpMs) {
      log(`live: skipping ${iso(cursor)} .. ${iso(now - maxCatchUpMs)}: older than the ingest horizon`);
      cursor = now - maxCatchUpMs;
    }
    let sent = 0;
    let accepted = 0;
    let rejected = 0;
    try {
      for (const chunk of generateChunks(cursor, now, { ...traffic, maxRecords: cli.chunkRecords })) {
        try {
          const res = await ingestChunk(api, chunk);
          accepted += res.accepted;
          rejected += res.rejected;
          totals.requests++;
          if (res.rejected > 0 && res.errors[0])
            log(`live: ${res.rejected} rejected, e.g. line ${res.errors[0].line}: ${res.errors[0].message}`);
        } catch (e) {
          if (e instanceof ApiError && !e.transient && e.status !== 401 && e.status !== 403) {
            // Refused for good (e.g. 400/413): resending the same body would fail forever.
            log(`live: ${fmt(chunk.records.length)} records dropped: ${e.message}`);
            totals.failed += chunk.records.length;
          } else throw e;
        }
        sent += chunk.records.length;
        cursor = chunk.toMs;
        if (stop.aborted) break;
      }
      if (!stop.aborted) cursor = now;
      if (failing) log("live: API reachable again");
      failing = false;
    } catch (e) {
      log(`live: ${(e as Error).message}; will resend from ${iso(cursor)} next interval`);
      failing = true;
    }
    totals.sent += sent;
    totals.accepted += accepted;
    totals.rejected += rejected;
    if (sent > 0)
      log(
        `live ${iso(now)}: +${fmt(sent)} records (${fmt(accepted)} accepted, ${fmt(rejected)} rejected); total ${fmt(totals.sent)}`,
      );

    if (cli.catalog && !stop.aborted) {
      const due = deploymentsBetween(deployCursor, now, traffic);
      try {
        const posted = await postDeployments(api, due, deploymentsKnown);
        for (const d of posted)
          log(`live: deployment ${d.service} ${d.region} ${d.version}${d.note ? ` (${d.note})` : ""}`);
        deployCursor = now;
      } catch (e) {
        log(`live: deployments: ${(e as Error).message}; will retry next interval`);
      }
    }
  }
  return totals;
}

function isEntry(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return (
      pathToFileURL(realpathSync(path.resolve(arg))).href ===
      pathToFileURL(realpathSync(new URL(import.meta.url).pathname)).href
    );
  } catch {
    return false;
  }
}

if (isEntry()) {
  // Exit explicitly: idle keep-alive sockets of fetch would otherwise hold the process for a few seconds.
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** The simulator's command line: options, their defaults and limits, and the help text. */
import { parseArgs } from "node:util";
import { HOUR_MS } from "../../packages/slo-core/src/time-units.ts";

/** Ingest refuses records older than 7 days; keep a margin for the time the backfill itself takes. */
export const MAX_BACKFILL_HOURS = 7 * 24 - 1;

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
    intervalMs: num("interval-ms", values["interval-ms"], 5000, 250, HOUR_MS, true),
    incidentPeriodHours: num("incident-period-hours", values["incident-period-hours"], 24, 1 / 60, 24 * 28),
    catalog: !(values["no-catalog"] ?? false),
    chunkRecords: num("chunk-records", values["chunk-records"], 20_000, 1, 200_000, true),
    concurrency: num("concurrency", values.concurrency, 4, 1, 32, true),
    dryRun: values["dry-run"] ?? false,
    help: values.help ?? false,
  };
}

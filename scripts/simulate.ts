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
import { HOUR_MS } from "../packages/slo-core/src/time-units.ts";
import { deploymentsBetween, expectedRecords, type TrafficOptions } from "./lib/traffic.ts";
import { ApiError, type Api } from "./simulate/api-client.ts";
import { runBackfill } from "./simulate/backfill.ts";
import { seedCatalog } from "./simulate/catalog.ts";
import { seedPractice } from "./simulate/practice.ts";
import { knownDeployments, postDeployments } from "./simulate/deployments.ts";
import { dryRun } from "./simulate/dry-run.ts";
import { runLive } from "./simulate/live.ts";
import { USAGE, parseCli, type CliOptions } from "./simulate/options.ts";
import { fmt } from "./simulate/report.ts";
import { withRetry } from "./simulate/retry.ts";

export { ApiError };
export { seedCatalog } from "./simulate/catalog.ts";
export { postDeployments } from "./simulate/deployments.ts";
export { toNdjson, type IngestTotals } from "./simulate/ingest.ts";
export { MAX_BACKFILL_HOURS, USAGE, parseCli, type CliOptions } from "./simulate/options.ts";

const DEPLOYMENT_HISTORY_MS = 48 * HOUR_MS;

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
    incidentPeriodMs: cli.incidentPeriodHours * HOUR_MS,
  };
  const startedAt = Date.now();
  const backfillFrom = startedAt - cli.backfillHours * HOUR_MS;

  if (cli.dryRun) {
    dryRun(cli, traffic, backfillFrom, startedAt, log);
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
      `API ${cli.url}; seed ${cli.seed}, scale ${cli.scale}, about ${fmt(expectedRecords(startedAt - HOUR_MS, startedAt, traffic))} records in the last hour`,
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

    const failed =
      cli.backfillHours > 0 && !stopper.signal.aborted
        ? (await runBackfill(api, cli, traffic, backfillFrom, startedAt, stopper, log)).failed
        : 0;

    // The practice around the SLOs (an SLA, a status page, an incident): after the backfill, which makes the regions.
    if (cli.catalog && !stopper.signal.aborted) {
      try {
        const p = await withRetry("practice", () => seedPractice(api), {
          attempts,
          stop: stopper.signal,
          log,
        });
        log(
          `practice: ${p.created.length} created${p.created.length ? ` (${p.created.join(", ")})` : ""}, ${p.existing.length} already there`,
        );
      } catch (e) {
        if (e instanceof ApiError && !e.transient) log(`warning: demo practice not seeded: ${e.message}`);
        else throw e;
      }
    }

    if (cli.live && !stopper.signal.aborted) {
      const live = await runLive(api, cli, traffic, startedAt, deploymentsKnown, stopper.signal, log);
      log(
        `live stopped: ${fmt(live.sent)} records sent, ${fmt(live.accepted)} accepted, ${fmt(live.rejected)} rejected in ${live.requests} requests`,
      );
    }
    return failed > 0 ? 1 : 0;
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

/** Live mode: the traffic of each elapsed interval, and the deployments that fell due, until stopped. */
import { HOUR_MS } from "../../packages/slo-core/src/time-units.ts";
import { deploymentsBetween, generateChunks, type TrafficOptions } from "../lib/traffic.ts";
import { ApiError, type Api } from "./api-client.ts";
import { postDeployments } from "./deployments.ts";
import { ingestChunk, type IngestTotals } from "./ingest.ts";
import { MAX_BACKFILL_HOURS, type CliOptions } from "./options.ts";
import { fmt, iso } from "./report.ts";
import { sleep } from "./retry.ts";

/** Sends [cursor, now) every interval. A failed send is logged and retried from where it stopped on the next tick. */
export async function runLive(
  api: Api,
  cli: CliOptions,
  traffic: TrafficOptions,
  startMs: number,
  deploymentsKnown: Set<string>,
  stop: AbortSignal,
  log: (s: string) => void,
): Promise<IngestTotals> {
  const totals: IngestTotals = { sent: 0, accepted: 0, rejected: 0, failed: 0, requests: 0 };
  const maxCatchUpMs = MAX_BACKFILL_HOURS * HOUR_MS;
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

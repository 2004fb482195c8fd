/**
 * The backfill: the history of [fromMs, toMs) in chunks of `--chunk-records`, `--concurrency` requests in
 * flight, each retried on transient failures; progress is logged every 2 s.
 */
import { expectedRecords, generateChunks, type TrafficOptions } from "../lib/traffic.ts";
import { ApiError, type Api } from "./api-client.ts";
import { ingestChunk, type IngestTotals } from "./ingest.ts";
import type { CliOptions } from "./options.ts";
import { fmt, iso, printIncidents } from "./report.ts";
import { withRetry } from "./retry.ts";

export async function runBackfill(
  api: Api,
  cli: CliOptions,
  traffic: TrafficOptions,
  backfillFrom: number,
  startedAt: number,
  stopper: AbortController,
  log: (s: string) => void,
): Promise<IngestTotals> {
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
  return totals;
}

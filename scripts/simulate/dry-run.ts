/** `--dry-run`: generates and serialises the backfill without sending it, and reports the speed. */
import { HOUR_MS } from "../../packages/slo-core/src/time-units.ts";
import { expectedRecords, generateChunks, type TrafficOptions } from "../lib/traffic.ts";
import { toNdjson } from "./ingest.ts";
import type { CliOptions } from "./options.ts";
import { fmt, printIncidents } from "./report.ts";

export function dryRun(
  cli: CliOptions,
  traffic: TrafficOptions,
  backfillFrom: number,
  startedAt: number,
  log: (s: string) => void,
): void {
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
  printIncidents(log, backfillFrom, startedAt + 24 * HOUR_MS, traffic);
}

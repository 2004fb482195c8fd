import { promisify } from "node:util";
import { gzip as gzipCb, constants as zlib } from "node:zlib";
import { metricSnapshotStamp, readMetricSnapshots, type Db } from "@burnrate/db";
import { writeSloExposition } from "./slo-exposition";

const gzip = promisify(gzipCb);

/** One snapshot's exposition: its text, and the text gzipped (made on the first scrape that accepts gzip). */
export interface SloExposition {
  text: Buffer;
  gzipped(): Promise<Buffer>;
}

/** The last exposition written per database, with the stamp of what it was written from. */
const last = new WeakMap<Db, { stamp: string; exposition: Promise<SloExposition> }>();

function exposition(text: Buffer): SloExposition {
  let gz: Promise<Buffer> | undefined;
  return {
    text,
    // fastest level: tens of MB of repetitive text shrink about 10× even so; compressed off the event loop
    gzipped: () => (gz ??= gzip(text, { level: zlib.Z_BEST_SPEED })),
  };
}

/**
 * GET /metrics/slos: the worker's last snapshot of every SLO × region, as Prometheus text. The text is written
 * again only when the snapshot or the labels changed since the last scrape (metricSnapshotStamp, one light
 * query): the worker rewrites the snapshot once per evaluation cycle, and Prometheus (often two replicas) scrapes
 * several times per cycle; with 10,000 SLO × region the text is tens of MB, whose writing (and compression) is
 * most of a scrape's cost. Concurrent scrapes of a new snapshot share one writing. The stamp is read before the
 * snapshot, so an answer is never older than the stamp it is kept under.
 */
export async function readSloExposition(db: Db): Promise<SloExposition> {
  const stamp = await metricSnapshotStamp(db);
  const kept = last.get(db);
  if (kept && kept.stamp === stamp) return kept.exposition;
  const made = readMetricSnapshots(db).then((rows) => exposition(writeSloExposition(rows)));
  last.set(db, { stamp, exposition: made });
  // a failed read is not kept: the next scrape tries again
  made.catch(() => {
    if (last.get(db)?.exposition === made) last.delete(db);
  });
  return made;
}

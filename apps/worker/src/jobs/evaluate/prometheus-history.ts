import {
  deleteSliStatements,
  storeSliMinutes,
  type Db,
  type LoadedSlo,
  type SliMinuteRow,
} from "@burnrate/db";
import { promMinuteCounts } from "@burnrate/ingest";
import { DAY_MS, MINUTE_MS, periodAt } from "@burnrate/slo-core";
import { DEFAULT_PROMETHEUS_PULL, sourceAuthHeaders, type PrometheusPullOptions } from "./prometheus-sli";

/**
 * The region a Prometheus-sourced SLO's history is stored under: all of its series together (its queries are
 * summed, so it has no regions of its own). Not a row of `regions`: the SLO lists no region.
 */
export const PROMETHEUS_HISTORY_REGION_ID = "00000000-0000-0000-0000-000000000000";

/** One range query pair covers at most this much (1,440 points a series, far below Prometheus's 11,000). */
export const HISTORY_CHUNK_MS = DAY_MS;

export interface HistoryProgress {
  /** Chunks pulled and stored by this run. */
  chunks: number;
  /** Minutes with data stored by this run. */
  minutes: number;
  /** The history now held: [fromMs, toMs) (null: nothing yet). */
  fromMs: number | null;
  toMs: number | null;
}

/**
 * Pulls a Prometheus-sourced SLO's history into the SLI store, so its page and budget have it from the start:
 * the events of each minute, PromQL's own increase over that minute (range queries with a one-minute step,
 * aligned to the minute), back to the start of the SLO's current period (its window at most) and only where
 * Prometheus holds data.
 *
 * In chunks of a UTC day at most, newest first; after each chunk the minutes done are recorded in
 * slo_source_states (historyFrom/historyTo for the SLO's version), so a run stopped anywhere (a failed query,
 * a killed worker) resumes where it stopped, and a later run only adds the minutes since. Idempotent: each
 * stored minute is set, never added to, so running it again leaves the same counts. A new version of the SLO
 * (its queries changed) starts over: the history of the old queries is deleted first.
 *
 * Prometheus's increase is a real number (it extrapolates); each chunk's minutes are rounded so that their
 * running total stays within one event of PromQL's own total over the chunk.
 *
 * `onlyNewer`: only the minutes after the history held (the evaluation's top-up each cycle); nothing when there
 * is no history yet (the backfill job pulls it).
 */
export async function pullPrometheusHistory(
  db: Db,
  slo: LoadedSlo,
  nowMs: number,
  opts: Partial<PrometheusPullOptions> & {
    onlyNewer?: boolean;
    onChunk?: (p: HistoryProgress & { done: number; of: number }) => void | Promise<void>;
  } = {},
): Promise<HistoryProgress> {
  const sli = slo.spec.sli;
  if (sli.type !== "prometheus") throw new Error(`SLO ${slo.id} is not Prometheus-sourced`);
  const { secrets, onlyNewer, onChunk, ...rest } = opts;
  const queryOpts = {
    ...DEFAULT_PROMETHEUS_PULL,
    ...rest,
    headers: { ...rest.headers, ...sourceAuthHeaders(slo, secrets) },
  };
  const toMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS; // the last whole minute ends here
  const lower = Math.floor(periodAt(slo.model(nowMs).window, nowMs).startMs / MINUTE_MS) * MINUTE_MS;
  const version = slo.row.version;
  let state = await db.sloSourceState.findUnique({ where: { sloId: slo.id } });
  if (state?.historyVersion !== version) {
    if (onlyNewer) return { chunks: 0, minutes: 0, fromMs: null, toMs: null };
    // Another version's history (other queries): gone before this one's is pulled.
    await db.$transaction([
      ...deleteSliStatements(db, [slo.id]),
      db.sloSourceState.upsert({
        where: { sloId: slo.id },
        create: { sloId: slo.id, historyVersion: version },
        update: { historyVersion: version, historyFrom: null, historyTo: null },
      }),
    ]);
    state = await db.sloSourceState.findUniqueOrThrow({ where: { sloId: slo.id } });
  }
  let from = state.historyFrom?.getTime() ?? null;
  let to = state.historyTo?.getTime() ?? null;
  if (onlyNewer && to === null) return { chunks: 0, minutes: 0, fromMs: from, toMs: to };

  // Newer minutes first (oldest to newest, so what is held stays one span), then older ones, newest first.
  const chunks: [number, number][] = [];
  if (to === null) {
    for (let b = toMs; b > lower;) {
      const a = Math.max(lower, (Math.ceil(b / HISTORY_CHUNK_MS) - 1) * HISTORY_CHUNK_MS);
      chunks.push([a, b]);
      b = a;
    }
  } else {
    for (let a = to; a < toMs;) {
      const b = Math.min(toMs, (Math.floor(a / HISTORY_CHUNK_MS) + 1) * HISTORY_CHUNK_MS);
      chunks.push([a, b]);
      a = b;
    }
    if (!onlyNewer)
      for (let b = from!; b > lower;) {
        const a = Math.max(lower, (Math.ceil(b / HISTORY_CHUNK_MS) - 1) * HISTORY_CHUNK_MS);
        chunks.push([a, b]);
        b = a;
      }
  }
  let done = 0;
  let minutes = 0;
  for (const [a, b] of chunks) {
    const counts = await promMinuteCounts(sli, a, b, queryOpts);
    const rows: SliMinuteRow[] = [];
    let cumGood = 0;
    let cumTotal = 0;
    for (const [minuteMs, c] of [...counts].sort(([x], [y]) => x - y)) {
      const total = Math.round(cumTotal + Math.max(0, c.total)) - Math.round(cumTotal);
      const good = Math.round(cumGood + Math.max(0, c.good)) - Math.round(cumGood);
      cumTotal += Math.max(0, c.total);
      cumGood += Math.max(0, c.good);
      rows.push({
        sloId: slo.id,
        regionId: PROMETHEUS_HISTORY_REGION_ID,
        minuteMs,
        good: Math.min(good, total),
        total,
      });
    }
    await storeSliMinutes(db, rows);
    minutes += rows.length;
    // What is held grows by this chunk, at one end or the other.
    from = from === null || a < from ? a : from;
    to = to === null || b > to ? b : to;
    await db.sloSourceState.updateMany({
      where: { sloId: slo.id, historyVersion: version },
      data: { historyFrom: new Date(from), historyTo: new Date(to) },
    });
    done++;
    await onChunk?.({ chunks: done, minutes, fromMs: from, toMs: to, done, of: chunks.length });
  }
  return { chunks: done, minutes, fromMs: from, toMs: to };
}

import type { HistoryChunkResponse } from "@burnrate/contracts";
import {
  dbTrouble,
  ensureRollupPartitions,
  isUniqueViolation,
  poolQuery,
  sqlTransaction,
  type CopyIn,
  type Db,
  type RollupTable,
  type SqlQuery,
} from "@burnrate/db";
import type { RecordFieldNames, RequestBatch } from "@burnrate/ingest";
import { DAY_MS, MINUTE_MS } from "@burnrate/slo-core";
import type { Actor } from "../../auth/actor";
import { epKey, lookupCatalog, mapEndpoints } from "../ingest/catalog";
import { DEFAULT_INGEST_LIMITS, createWithLimits, type IngestLimits } from "../ingest/catalog-limits";
import { claimKey, storeAnswer, type IdempotencyClaim } from "../ingest/idempotency";
import { AggregateScratch, aggregate } from "../ingest/rollup-rows";
import { ClientGone, type Semaphore } from "../ingest/runtime";
import { admitServices } from "../ingest/service-access";
import {
  HISTORY_COPY_SQL,
  HISTORY_INSERT_SQL,
  HISTORY_UPSERT_SQL,
  historyRows,
  type HistoryRows,
  type TableRows,
} from "./history-rows";

/**
 * Aggregation arrays, reused from chunk to chunk: a chunk takes one for as long as it writes (its rows may be
 * built again, for the fallback of writeTable), so there are as many as chunks that write at once.
 */
const scratches: AggregateScratch[] = [];

/** Minutes in a day: minute rollup partitions are daily. */
const DAY_MIN = DAY_MS / MINUTE_MS;

export interface HistoryBatchDeps {
  db: Db;
  actor: Actor | null;
  /** The chunk's key: claimed, and its answer stored, in the chunk's transaction. */
  idempotency: IdempotencyClaim;
  /** Records older than this (the minute retention's cutoff) go into the hour rollups, newer ones into minutes. */
  detailFromMs: number;
  fieldNames: RecordFieldNames;
  limits?: IngestLimits;
  /** Called with the services that got endpoints they did not have (default SLOs then apply to them). */
  onNewEndpoints?: (serviceIds: string[]) => Promise<void>;
  newEndpointsWaitMs?: number;
  /** Bounds the chunks that use the database at once. */
  dbSlots?: Semaphore;
  /** True once the client has gone away: the chunk is then abandoned (rolled back, not answered). */
  isGone?: () => boolean;
  log?: (e: unknown, msg: string) => void;
}

/**
 * Stores one parsed history chunk in one transaction: its key, the endpoints and regions it creates (up to the
 * per-service limits), its hour and minute rollup rows, and its answer. No dirty marks (the live evaluation
 * never recomputes history: the import's backfills do) and no last-seen times (old traffic is no sign of life).
 * An error means nothing of the chunk was stored.
 */
export async function storeHistoryBatch(
  deps: HistoryBatchDeps,
  b: RequestBatch,
): Promise<HistoryChunkResponse> {
  const run = () => store(deps, b);
  return deps.dbSlots ? deps.dbSlots.run(run, deps.isGone) : run();
}

async function store(deps: HistoryBatchDeps, b: RequestBatch): Promise<HistoryChunkResponse> {
  const { db } = deps;
  const sc = b.scanner;
  const detailFromMin = Math.floor(deps.detailFromMs / MINUTE_MS);
  foldToHours(b, detailFromMin);
  const { svcId, slugOfId, accepted: admitted } = await admitServices(db, deps.actor, b, "history:write");
  let accepted = admitted;
  const m = accepted > 0 ? mapEndpoints(b, svcId) : null;
  const cat = m ? await lookupCatalog(poolQuery(db), m.regionSlugs, m.eps, m.pairs) : null;
  const creating =
    m !== null &&
    cat !== null &&
    (cat.regionIds.size < m.regionSlugs.length ||
      cat.endpointIds.size < m.eps.length ||
      cat.pairs.size < m.pairs.length);
  // Before the transaction: DDL would wait on its locks.
  if (m) await ensurePartitions(db, b, m.recEp, detailFromMin);

  const out = await sqlTransaction(db, async (q, copy) => {
    await claimKey(q, deps.idempotency);
    let newFor: string[] = [];
    if (creating) {
      const c = await createWithLimits(
        q,
        m,
        cat,
        deps.limits ?? DEFAULT_INGEST_LIMITS,
        slugOfId,
        deps.fieldNames,
        b,
      );
      newFor = c.newFor;
      accepted -= c.refused;
    }
    const extra = { minuteRows: 0, hourRows: 0, services: [] as string[] };
    if (m && cat && accepted > 0) {
      const regionUuid = sc.regions.map((slug, i) =>
        m.regionUsed[i] ? (cat.regionIds.get(slug) ?? "") : "",
      );
      const epUuid = m.eps.map((e) => cat.endpointIds.get(epKey(e)) ?? "");
      const scratch = scratches.pop() ?? new AggregateScratch();
      try {
        const agg = aggregate(b, m.recEp, m.minMinute, scratch);
        const rowsOf = (innerRows: boolean) =>
          historyRows(b, agg, m.recEp, svcId, epUuid, regionUuid, detailFromMin, innerRows, copy !== null);
        const { hours, minutes } = rowsOf(true);
        if (deps.isGone?.()) throw new ClientGone();
        const write = (table: RollupTable, rows: TableRows, all: () => HistoryRows) =>
          writeTable(q, copy, table, rows, all);
        extra.hourRows = await write("request_rollups_hourly", hours, () => rowsOf(false).hours.edge);
        extra.minuteRows = await write("request_rollups", minutes, () => rowsOf(false).minutes.edge);
      } finally {
        scratches.push(scratch);
      }
      const used = new Uint8Array(svcId.length);
      for (let i = 0; i < b.n; i++) if (m.recEp[i]! >= 0) used[b.service[i]!] = 1;
      extra.services = svcId
        .filter((id, s): id is string => used[s] === 1 && id !== null)
        .map((id) => slugOfId.get(id) ?? id)
        .sort();
    }
    const errors = b.errors;
    const rejected = b.rejected + (b.n - accepted);
    const res: HistoryChunkResponse = {
      accepted,
      rejected,
      errors,
      ...(rejected > errors.length ? { errorsTruncated: true } : {}),
      ...extra,
    };
    await storeAnswer(q, deps.idempotency, res);
    if (deps.isGone?.()) throw new ClientGone();
    return { res, newFor };
  });

  if (out.newFor.length > 0 && deps.onNewEndpoints) {
    const sync = deps
      .onNewEndpoints(out.newFor)
      .catch((e: unknown) => deps.log?.(e, "default SLOs for new endpoints failed"));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      sync,
      new Promise((r) => (timer = setTimeout(r, deps.newEndpointsWaitMs ?? 2000))),
    ]).finally(() => clearTimeout(timer));
  }
  return out.res;
}

/** How long a chunk's insert of its inner rows may wait on another transaction's row before it gives way. */
const INNER_LOCK_TIMEOUT = "50ms";

/**
 * Writes a chunk's rows of one table, in its transaction; gives how many there are.
 *
 * In a time-ordered file (a log archive, what `burnrate import-history` sends), a chunk shares only its first
 * and last minute (hour) with the chunks before and after it: those edge rows are added to what is there
 * (HISTORY_UPSERT_SQL), and the inner rows, which no other chunk has, are inserted without the conflict check
 * (HISTORY_COPY_SQL, 2.8 µs a row of Postgres's CPU against 7.0-7.5 µs for the upsert; HISTORY_INSERT_SQL when
 * the transaction has no COPY). Both lock rows in primary-key order.
 *
 * When inner rows exist already or are being written (an import that overlaps earlier data: another file, the
 * same file under another import id, live ingest of the last days), the insert fails (unique violation), or
 * gives way after INNER_LOCK_TIMEOUT if it waits on another transaction's row (never long enough for Postgres's
 * deadlock check, 1 s, to abort the other one), and everything of the table is undone to a savepoint taken
 * before the edge rows, so that their locks go too. Then all the rows are added in one statement, in primary-key
 * order, as every other writer of these tables does: concurrent writers do not deadlock.
 */
async function writeTable(
  q: SqlQuery,
  copy: CopyIn | null,
  table: RollupTable,
  rows: TableRows,
  allRows: () => HistoryRows,
): Promise<number> {
  const { edge, inner } = rows;
  if (inner.n === 0) {
    if (edge.n > 0) await q(HISTORY_UPSERT_SQL[table], edge.params);
    return edge.n;
  }
  // The edge rows wait for their neighbours as long as it takes (all writers lock them in key order); the inner
  // rows give way after INNER_LOCK_TIMEOUT. Round trips: SAVEPOINT, edge upsert, SET, insert, RELEASE.
  const giveWay = `SET LOCAL lock_timeout = '${INNER_LOCK_TIMEOUT}'`;
  if (edge.n > 0) await q("SAVEPOINT burnrate_history_rows");
  else await q(`SAVEPOINT burnrate_history_rows; ${giveWay}`);
  try {
    if (edge.n > 0) {
      await q(HISTORY_UPSERT_SQL[table], edge.params);
      await q(giveWay);
    }
    if (inner.copy && copy) await copy(HISTORY_COPY_SQL[table], inner.copy);
    else await q(HISTORY_INSERT_SQL[table], inner.params);
    await q("RELEASE SAVEPOINT burnrate_history_rows; SET LOCAL lock_timeout = DEFAULT");
    return edge.n + inner.n;
  } catch (e) {
    if (!isUniqueViolation(e) && dbTrouble(e) !== "busy") throw e;
    await q("ROLLBACK TO SAVEPOINT burnrate_history_rows; SET LOCAL lock_timeout = DEFAULT");
  }
  await q(HISTORY_UPSERT_SQL[table], allRows().params);
  return edge.n + inner.n;
}

/**
 * Records older than the minute retention's cutoff (epoch minutes) move to their hour's first minute:
 * aggregation then sums them per hour, as retention's fold would have.
 */
export function foldToHours(b: RequestBatch, detailFromMin: number): void {
  const minute = b.minute;
  for (let i = 0; i < b.n; i++) {
    const x = minute[i]!;
    if (x < detailFromMin) minute[i] = x - (((x % 60) + 60) % 60);
  }
}

/** The chunk's partitions: days of minutes from the cutoff on, months of hours before it. */
async function ensurePartitions(
  db: Db,
  b: RequestBatch,
  recEp: Int32Array,
  detailFromMin: number,
): Promise<void> {
  const days = new Set<number>();
  let lo = Infinity;
  let hi = -Infinity;
  const minute = b.minute;
  for (let i = 0; i < b.n; i++) {
    if (recEp[i]! < 0) continue;
    const x = minute[i]!;
    if (x >= detailFromMin) days.add(Math.floor(x / DAY_MIN));
    else {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  if (lo !== Infinity)
    await ensureRollupPartitions(db, "request_rollups_hourly", lo * MINUTE_MS, hi * MINUTE_MS);
  for (const d of days)
    await ensureRollupPartitions(db, "request_rollups", d * DAY_MIN * MINUTE_MS, d * DAY_MIN * MINUTE_MS);
}

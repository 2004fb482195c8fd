import {
  dropSloSnapshot,
  findSlos,
  loadSliSeries,
  MINUTE_RETENTION_MS,
  regionsOfSlos,
  snapshotHeaders,
  writeSloSnapshot,
  type Db,
  type RegionSnapshot,
  type SnapshotAnalysis,
} from "@burnrate/db";
import { HOUR_MS, MINUTE_MS, analysePeriod, windowPeriods } from "@burnrate/slo-core";
import type { Logger } from "pino";
import { RETENTION_EVERY_MS } from "./retention";

/** How often the period snapshots are brought up to date (a BullMQ job scheduler). */
export const SNAPSHOT_EVERY_MS = 5 * MINUTE_MS;

/** SLOs loaded per batch, and SLOs whose series are read and judged at once within a batch. */
const BATCH = 500;
const CONCURRENCY = 2;

/**
 * A complete period is analysed again until this long after its end: until then late traffic, a backfill or
 * retention (which folds minutes older than MINUTE_RETENTION_MS into hours, changing what the analysis reads)
 * may still change its minutes. After it, its stored analysis is kept while the SLO version and first data stay.
 */
export const SETTLED_AFTER_MS = MINUTE_RETENTION_MS + RETENTION_EVERY_MS + HOUR_MS;

/**
 * Writes the period snapshot of each SLO × region with data in the last year (all SLOs, or those named): slo-core's
 * analysis of every period of its "year" indicator window (which holds the current and the previous period),
 * in one transaction per SLO. Settled complete periods already stored for the same version are kept as they are
 * (computed once); the others, the current period among them, are analysed again. `recompute` analyses every
 * period (after a backfill rewrote the SLO's history).
 */
export async function snapshotSloPeriods(
  deps: { db: Db; now: () => number },
  opts: { sloIds?: string[]; recompute?: boolean } = {},
): Promise<{ slos: number; regions: number; periodsWritten: number; periodsKept: number }> {
  const { db } = deps;
  const out = { slos: 0, regions: 0, periodsWritten: 0, periodsKept: 0 };
  const ids = opts.sloIds
    ? opts.sloIds
    : (await db.slo.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((s) => s.id);
  for (let b = 0; b < ids.length; b += BATCH) {
    const slos = await findSlos(db, { where: { id: { in: ids.slice(b, b + BATCH) } } });
    const sloIds = slos.map((s) => s.id);
    const [regionsOf, heads] = await Promise.all([regionsOfSlos(db, sloIds), snapshotHeaders(db, sloIds)]);
    let next = 0;
    const one = async (i: number) => {
      const slo = slos[i]!;
      const nowMs = deps.now();
      const version = slo.row.version;
      const model = slo.model(nowMs);
      const periods = windowPeriods(model, "year", nowMs);
      if (periods.length === 0) return;
      const from = Math.min(...periods.map((p) => p.startMs));
      const regions: RegionSnapshot[] = [];
      for (const r of (regionsOf.get(slo.id) ?? []).filter((x) => x.lastMs >= from)) {
        const head = heads.get(slo.id)?.get(r.id);
        const stored =
          !opts.recompute && head && head.version === version && head.firstMs === r.firstMs
            ? head.periods
            : [];
        const kept = periods.filter(
          (p) =>
            p.endMs < nowMs &&
            stored.some(
              (q) =>
                q.complete &&
                q.startMs === p.startMs &&
                q.endMs === p.endMs &&
                q.computedAtMs >= p.endMs + SETTLED_AFTER_MS,
            ),
        );
        const todo = periods.filter((p) => !kept.includes(p));
        const written: SnapshotAnalysis[] = [];
        if (todo.length > 0) {
          // the same span as the reports read (reports/periods.ts loadPeriodsSeries), for the periods to analyse
          const a = Math.floor(Math.min(...todo.map((p) => p.startMs)) / MINUTE_MS) * MINUTE_MS;
          const z = Math.ceil(Math.min(nowMs, Math.max(...todo.map((p) => p.endMs))) / MINUTE_MS) * MINUTE_MS;
          const series = await loadSliSeries(db, slo.id, r.id, a, Math.max(a + MINUTE_MS, z));
          for (const p of todo) {
            const { curve: _curve, ...analysis } = analysePeriod(model, series, p, nowMs, {
              firstDataMs: r.firstMs,
            });
            written.push(analysis);
          }
        }
        regions.push({ regionId: r.id, firstMs: r.firstMs, written, kept });
        out.regions++;
        out.periodsWritten += written.length;
        out.periodsKept += kept.length;
      }
      await writeSloSnapshot(db, { sloId: slo.id, version, computedAtMs: nowMs, regions });
      out.slos++;
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < slos.length) await one(next++);
      }),
    );
  }
  return out;
}

/** The scheduled job: every SLO's period snapshot, brought up to date. */
export function createPeriodSnapshotJob(deps: { db: Db; now: () => number; log: Logger }) {
  return async () => {
    const t0 = Date.now();
    const r = await snapshotSloPeriods(deps);
    deps.log.info({ ...r, ms: Date.now() - t0 }, "period snapshots written");
    return r;
  };
}

/**
 * After a backfill rewrote an SLO's history: its stored periods are dropped first (none may be served from the
 * history before), then written anew. A failure to write leaves none, so the reports compute it meanwhile.
 */
export async function resnapshotSlo(deps: { db: Db; now: () => number; log: Logger }, sloId: string) {
  await dropSloSnapshot(deps.db, sloId);
  try {
    return await snapshotSloPeriods(deps, { sloIds: [sloId], recompute: true });
  } catch (err) {
    deps.log.warn({ sloId, err: (err as Error).message }, "period snapshot after the backfill failed");
    return null;
  }
}

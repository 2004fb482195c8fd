import { AlertingSpec, LATE_DATA_HORIZON_MS, type EvaluateShardJob } from "@burnrate/contracts";
import {
  alertSnapshotOf,
  cumulativeCounts,
  recomputeSli,
  regionsOfSlos,
  toSloModel,
  toSloResponse,
  type Db,
  type SliTarget,
  type SloRegionData,
  type SloWithService,
} from "@burnrate/db";
import {
  evaluateTiers,
  evaluationInstants,
  maxLookbackMs,
  minuteEnd,
  nextAlertState,
  type AlertSnapshot,
  type SampledSums,
  type SloModel,
  type TierDecision,
} from "@burnrate/slo-core";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../catalog";
import {
  findSuppression,
  loadSuppressions,
  derivePriority,
  evaluateNoData,
  fireAlert,
  recordEvent,
  releaseIfHeld,
  type Suppression,
  type SuppressionSources,
} from "./alerting";
import { DEFAULT_NO_DATA_MINUTES } from "./dispatch";

/** Minutes recomputed from the rollups on every cycle even when ingest marked nothing (covers a lost tick). */
const RECENT_RECOMPUTE_MS = 5 * 60_000;
const include = { service: { include: { team: true } }, endpoint: true } as const;
/** A claim's lease: far longer than a shard takes (seconds), short enough that a lost holder costs a cycle. */
export const DEFAULT_EVAL_LEASE_MS = 120_000;

/**
 * Claims the shard's SLOs for the cycle in one statement. A claim is a lease (holder, until): an SLO not yet
 * evaluated in this cycle is claimed; so is one claimed in this cycle whose evaluation never finished, when the
 * lease ran out (its holder died) or the holder is this same shard job (an earlier attempt, killed mid-shard).
 * A finished evaluation (lease cleared) is never claimed again in its cycle, so a duplicated or retried shard job
 * evaluates nothing twice. `evaluations` counts each SLO × cycle once, however often its claim changed hands.
 * bigint before abs(): hashtext() may return -2^31, whose int4 abs() overflows.
 */
const CLAIM_SQL = `
  UPDATE slos s SET
         evaluations = s.evaluations + CASE WHEN s.last_evaluated_cycle = $3::timestamptz THEN 0 ELSE 1 END,
         eval_prev_cycle = CASE WHEN s.last_evaluated_cycle = $3::timestamptz THEN s.eval_prev_cycle
                                ELSE s.last_evaluated_cycle END,
         last_evaluated_cycle = $3::timestamptz,
         eval_lease_holder = $4,
         eval_lease_until = now() + make_interval(secs => $5::float8 / 1000)
   WHERE mod(abs(hashtext(s.id::text)::bigint), $1) = $2
     AND (s.last_evaluated_cycle IS NULL OR s.last_evaluated_cycle < $3::timestamptz
          OR (s.last_evaluated_cycle = $3::timestamptz AND s.eval_lease_until IS NOT NULL
              AND (s.eval_lease_until < now() OR s.eval_lease_holder = $4)))
  RETURNING s.id::text AS id`;
/** Gives claims back: the cycle is as if never started for these SLOs (a retry evaluates them). */
const RELEASE_SQL = `
  UPDATE slos SET last_evaluated_cycle = eval_prev_cycle, evaluations = evaluations - 1,
         eval_prev_cycle = NULL, eval_lease_holder = NULL, eval_lease_until = NULL
   WHERE id = ANY($1::uuid[]) AND last_evaluated_cycle = $2::timestamptz AND eval_lease_holder = $3`;
const COMPLETE_SQL = `
  UPDATE slos SET eval_lease_holder = NULL, eval_lease_until = NULL, eval_prev_cycle = NULL
   WHERE id = ANY($1::uuid[]) AND last_evaluated_cycle = $2::timestamptz AND eval_lease_holder = $3`;

/** Every tick: take the set of services ingest touched, and fan out one evaluation job per shard. */
export function createTickJob(deps: {
  db: Db;
  redis: Redis;
  enqueue: Enqueue;
  shardSize: number;
  everyMs: number;
  dirtyKey: string;
  now: () => number;
  log: Logger;
}) {
  return async () => {
    const nowMs = deps.now();
    // One cycle per schedule interval; the cycle's start names its jobs.
    const minuteMs = Math.floor(nowMs / deps.everyMs) * deps.everyMs;
    const [[, dirtyRaw]] = (await deps.redis
      .multi()
      .zrange(deps.dirtyKey, "0", "-1", "WITHSCORES")
      .del(deps.dirtyKey)
      .exec()) as [[unknown, string[]]];
    const dirty: Record<string, number> = {};
    for (let i = 0; i + 1 < dirtyRaw.length; i += 2) dirty[dirtyRaw[i]!] = Number(dirtyRaw[i + 1]);
    const count = await deps.db.slo.count();
    const shards = Math.max(1, Math.ceil(count / deps.shardSize));
    for (let shard = 0; shard < shards; shard++) {
      // jobId = cycle + shard: a second tick in the same cycle (two schedulers, a retry) adds nothing.
      await deps.enqueue(
        "slo.evaluate",
        { shard, shards, minuteMs, dirty },
        `eval-${minuteMs}-${shards}-${shard}`,
      );
    }
    deps.log.debug(
      { shards, slos: count, dirtyServices: Object.keys(dirty).length },
      "evaluation cycle scheduled",
    );
    return { shards, slos: count };
  };
}

/**
 * Evaluates the SLOs of one shard (by a stable hash of the id, so no SLO is in two shards), set-based: one
 * claim, one recompute transaction for the whole shard (sli-store recomputeSli), one query for the regions,
 * one for the running totals at every instant the tiers read, one for the open alerts; then slo-core decides
 * each SLO × region, and only alerts that exist or start firing are written. The cost per SLO is a few rows,
 * whatever the traffic and the history.
 */
export function createEvaluateShardJob(deps: {
  db: Db;
  enqueue: Enqueue;
  now: () => number;
  log: Logger;
  /** How long a claim holds before another shard job may take it (the holder may have died). */
  leaseMs?: number;
}) {
  const leaseMs = deps.leaseMs ?? DEFAULT_EVAL_LEASE_MS;
  return async (payload: EvaluateShardJob, ctx: { jobId?: string } = {}) => {
    const { db } = deps;
    const cycle = new Date(payload.minuteMs).toISOString();
    // The holder is the shard job: its retry (BullMQ keeps the job id across attempts, and a job whose worker
    // died comes back under its id) takes over the claims its earlier attempt left behind.
    const holder = ctx.jobId ?? `eval-${payload.minuteMs}-${payload.shards}-${payload.shard}`;
    const claimed = await db.$queryRawUnsafe<{ id: string }[]>(
      CLAIM_SQL,
      payload.shards,
      payload.shard,
      cycle,
      holder,
      leaseMs,
    );
    const [shardSize] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM slos WHERE mod(abs(hashtext(id::text)::bigint), $1) = $2`,
      payload.shards,
      payload.shard,
    );
    const skipped = Math.max(0, Number(shardSize?.n ?? 0) - claimed.length);
    const ids = claimed.map((c) => c.id);
    // Give claims back, so `evaluations` counts evaluations that happened and a retry evaluates them.
    const release = async (released: string[]) => {
      if (released.length === 0) return;
      await db
        .$executeRawUnsafe(RELEASE_SQL, released, cycle, holder)
        .catch((err: unknown) => deps.log.error({ err }, "could not release evaluation claims"));
    };
    let evaluated = 0;
    let phases: Record<string, number> = {};
    if (claimed.length > 0) {
      const result = await evaluateSlos(deps, ids, payload.dirty).catch(async (err: unknown) => {
        // Nothing was evaluated (the database went away, say): give every claim back, so the retry does it.
        await release(ids);
        throw err;
      });
      await release(result.failed);
      const failed = new Set(result.failed);
      // Done: the lease ends, and the cycle's evaluation of these SLOs is final.
      await db.$executeRawUnsafe(
        COMPLETE_SQL,
        ids.filter((id) => !failed.has(id)),
        cycle,
        holder,
      );
      if (result.failed.length === claimed.length && result.error) throw result.error;
      evaluated = claimed.length - result.failed.length;
      phases = result.phases ?? {};
    }
    if (skipped > 0)
      deps.log.info({ shard: payload.shard, skipped }, "SLOs already evaluated in this cycle were skipped");
    await db.evaluationRun
      .create({
        data: {
          minute: new Date(payload.minuteMs),
          shard: payload.shard,
          shards: payload.shards,
          slos: evaluated,
        },
      })
      .catch(() => undefined);
    // phases: milliseconds from the start of the evaluation to the end of each step (load, recompute, …)
    return { evaluated, skipped, phases };
  };
}

/** SLOs whose alerts are written at the same time (each holds one database connection at a time). */
const DECIDE_CONCURRENCY = 4;

async function eachLimit<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * Recomputes and evaluates a set of SLOs at `deps.now()`. Returns the SLOs that failed (logged), and the
 * error when the shared steps failed for all of them.
 */
export async function evaluateSlos(
  deps: { db: Db; enqueue: Enqueue; now: () => number; log: Logger },
  sloIds: string[],
  dirty: Record<string, number>,
): Promise<{ failed: string[]; error?: unknown; phases?: Record<string, number> }> {
  const { db } = deps;
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  const mark = (name: string) => (phases[name] = Math.round(performance.now() - t0));
  const rows = await db.slo.findMany({ where: { id: { in: sloIds } }, include });
  mark("load");
  const nowMs = deps.now();
  const toMs = minuteEnd(nowMs);
  const failed = new Set<string>();
  const items = new Map<string, { row: SloWithService; model: SloModel; target: SliTarget }>();
  for (const row of rows) {
    try {
      const slo = toSloResponse(row);
      items.set(row.id, {
        row,
        model: toSloModel(slo, nowMs),
        target: {
          sloId: row.id,
          serviceId: row.serviceId,
          endpointId: row.endpointId,
          failureStatuses: row.service.failureStatuses,
          sli: slo.sli,
        },
      });
    } catch (err) {
      deps.log.error({ err, sloId: row.id }, "SLO cannot be evaluated");
      failed.add(row.id);
    }
  }
  const recomputeFrom = (serviceId: string) =>
    Math.max(toMs - LATE_DATA_HORIZON_MS, Math.min(dirty[serviceId] ?? Infinity, toMs - RECENT_RECOMPUTE_MS));
  const ranges = [...items.values()].map((x) => ({
    target: x.target,
    fromMs: recomputeFrom(x.row.serviceId),
  }));
  try {
    await recomputeSli(db, ranges, toMs);
  } catch (error) {
    // One SLO's statement may be what failed (a ratio filter the database refuses): find it, keep the rest.
    deps.log.warn({ err: error }, "shard recompute failed; recomputing SLO by SLO");
    let anyOk = false;
    for (const r of ranges)
      try {
        await recomputeSli(db, [r], toMs);
        anyOk = true;
      } catch (err) {
        deps.log.error({ err, sloId: r.target.sloId }, "SLI recompute failed");
        failed.add(r.target.sloId);
        items.delete(r.target.sloId);
      }
    if (!anyOk) return { failed: [...sloIds], error };
  }
  mark("recompute");

  // Running totals at every instant a status window or tier reads, for each region with data in reach.
  const regionsBy = await regionsOfSlos(db, [...items.keys()]);
  const pairs: { sloId: string; region: SloRegionData; instants: number[] }[] = [];
  for (const [sloId, x] of items) {
    const reach = toMs - maxLookbackMs(x.model.tiers);
    const instants = evaluationInstants(x.model, nowMs);
    for (const region of regionsBy.get(sloId) ?? [])
      if (region.lastMs >= reach) pairs.push({ sloId, region, instants });
  }
  const queries = pairs.flatMap((p) =>
    p.instants.map((atMs) => ({ sloId: p.sloId, regionId: p.region.id, atMs })),
  );
  const counts = await cumulativeCounts(db, queries);
  mark("sums");
  const sums = new Map<string, Map<string, SampledSums>>();
  let k = 0;
  for (const p of pairs) {
    const at = new Map<number, { good: number; total: number }>();
    for (const t of p.instants) at.set(t, counts[k++]!);
    const bySlo = sums.get(p.sloId) ?? new Map<string, SampledSums>();
    bySlo.set(p.region.slug, { at });
    sums.set(p.sloId, bySlo);
  }

  const open = await db.alert.findMany({
    where: { sloId: { in: [...items.keys()] }, state: { in: ["firing", "acknowledged"] } },
  });
  const suppressions = await loadSuppressions(db, nowMs, [
    ...new Set([...items.values()].map((x) => x.row.serviceId)),
  ]);
  const lastDetail = new Map(
    open.length === 0
      ? []
      : (
          await db.$queryRawUnsafe<{ alert_id: string; detail: unknown }[]>(
            `SELECT DISTINCT ON (alert_id) alert_id::text, detail FROM alert_events
              WHERE alert_id = ANY($1::uuid[]) ORDER BY alert_id, at DESC`,
            open.map((a) => a.id),
          )
        ).map((r) => [r.alert_id, r.detail]),
  );
  mark("alerts");
  const openBy = new Map<string, typeof open>();
  for (const a of open) openBy.set(a.sloId, [...(openBy.get(a.sloId) ?? []), a]);

  // Alert writes are a few round trips per open or firing alert: several SLOs at a time overlap them.
  await eachLimit([...items], DECIDE_CONCURRENCY, async ([sloId, x]) => {
    try {
      const regions = regionsBy.get(sloId) ?? [];
      const bySlug = sums.get(sloId) ?? new Map<string, SampledSums>();
      const mine = openBy.get(sloId) ?? [];
      const burn = mine.filter((a) => a.kind === "burn_rate");
      const keys = new Set([...bySlug.keys(), ...burn.map((a) => a.regionKey)]);
      for (const regionKey of keys) {
        const s = bySlug.get(regionKey);
        const decisions = s
          ? evaluateTiers(s, toMs, x.model.objective, x.model.tiers, x.model.guard)
          : ([] as TierDecision[]);
        const current = burn.find((a) => a.regionKey === regionKey) ?? null;
        // Nothing open and nothing firing: nothing to write (most SLOs, most of the time).
        if (!current && nextAlertState(OK, decisions, nowMs).next.state !== "firing") continue;
        await applyDecisions(deps, {
          row: x.row,
          model: x.model,
          regionKey,
          regionId: regions.find((r) => r.slug === regionKey)?.id ?? null,
          current,
          decisions,
          nowMs,
          suppressions,
          lastDetail: current ? (lastDetail.get(current.id) ?? null) : null,
        });
      }
      const noData = mine.find((a) => a.kind === "no_data") ?? null;
      await evaluateNoData(deps, {
        row: x.row,
        lastDataMs: regions.length ? Math.max(...regions.map((r) => r.lastMs)) : null,
        noDataMinutes: x.row.alerting
          ? (AlertingSpec.parse(x.row.alerting).noDataMinutes ?? DEFAULT_NO_DATA_MINUTES)
          : DEFAULT_NO_DATA_MINUTES,
        nowMs,
        open: noData,
        suppressions,
        lastDetail: noData ? (lastDetail.get(noData.id) ?? null) : null,
      });
    } catch (err) {
      deps.log.error({ err, sloId }, "SLO evaluation failed");
      failed.add(sloId);
    }
  });
  mark("decide");
  deps.log.debug({ slos: sloIds.length, phases }, "evaluation phases (ms since start)");
  return { failed: [...failed], phases };
}

const OK: AlertSnapshot = {
  state: "ok",
  severity: null,
  snoozedUntilMs: null,
  firedAtMs: null,
  ackedBy: null,
};

async function applyDecisions(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    row: SloWithService;
    model: SloModel;
    regionKey: string;
    regionId: string | null;
    current: {
      id: string;
      state: string;
      severity: string;
      priority: string | null;
      snoozedUntil: Date | null;
      firedAt: Date;
      acknowledgedBy: string | null;
      updatedAt: Date;
    } | null;
    decisions: TierDecision[];
    nowMs: number;
    suppressions: SuppressionSources;
    /** The open alert's last event's detail (read for the whole shard at once). */
    lastDetail: unknown;
  },
): Promise<void> {
  const { db } = deps;
  const sloId = a.row.id;
  const prev = a.current ? alertSnapshotOf(a.current) : OK;
  const { next, notify } = nextAlertState(prev, a.decisions, a.nowMs);
  // What would have been sent without the snooze: those events are kept on the timeline, marked as held.
  const unsnoozed = nextAlertState({ ...prev, snoozedUntilMs: null }, a.decisions, a.nowMs).notify;
  const tiers = a.decisions.map((d) => ({ ...d }));
  if (!a.current && next.state !== "firing") return;
  const suppression = findSuppression(a.suppressions, {
    sloId,
    serviceId: a.row.serviceId,
    teamId: a.row.service.teamId,
    regionKey: a.regionKey,
  });
  // The SLO's own priority, else one derived from the burn (stored on the alert; the message says so).
  const derive = async () =>
    a.row.priority
      ? null
      : derivePriority(db, { sloId, regionId: a.regionId, model: a.model, nowMs: a.nowMs });
  if (!a.current) {
    await fireAlert(
      deps,
      {
        sloId,
        regionKey: a.regionKey,
        kind: "burn_rate",
        severity: next.severity ?? "ticket",
        priority: await derive(),
        tiers,
        nowMs: a.nowMs,
        detail: { severity: next.severity, tiers: tiers.filter((t) => t.firing).map((t) => t.tier) },
      },
      suppression,
    );
    return;
  }
  const resolved = next.state === "resolved" || next.state === "ok";
  const escalated =
    notify.some((n) => n.kind === "escalated") || unsnoozed.some((n) => n.kind === "escalated");
  // Optimistic: an ack or snooze that landed since this evaluation read the alert wins; the next cycle
  // evaluates again from the fresh row.
  const written = await db.alert.updateMany({
    where: { id: a.current.id, updatedAt: a.current.updatedAt },
    data: {
      state: resolved ? "resolved" : next.state,
      severity: next.severity ?? a.current.severity,
      tiers,
      snoozedUntil: next.snoozedUntilMs ? new Date(next.snoozedUntilMs) : null,
      ...(escalated && !a.row.priority ? { priority: (await derive()) ?? a.current.priority } : {}),
      ...(resolved ? { resolvedAt: new Date(a.nowMs) } : {}),
    },
  });
  if (written.count === 0) return;
  const snoozeHold: Suppression | null = next.snoozedUntilMs
    ? { by: "snooze", id: null, until: new Date(next.snoozedUntilMs) }
    : null;
  let recorded = false;
  for (const n of unsnoozed) {
    recorded = true;
    const passesSnooze = notify.some((x) => x.kind === n.kind);
    // Resolution always goes through: it corrects a message that would otherwise stay red.
    const held = n.kind === "resolved" ? null : (suppression ?? (passesSnooze ? null : snoozeHold));
    await recordEvent(deps, {
      alertId: a.current.id,
      kind: n.kind,
      nowMs: a.nowMs,
      detail: { severity: next.severity },
      suppressed: held,
    });
  }
  // An event recorded just now is the last one, and it was not held (nothing holds the alert back here).
  if (!resolved && !suppression && !next.snoozedUntilMs && !recorded)
    await releaseIfHeld(deps, {
      alertId: a.current.id,
      severity: next.severity ?? a.current.severity,
      nowMs: a.nowMs,
      lastDetail: a.lastDetail,
    });
}

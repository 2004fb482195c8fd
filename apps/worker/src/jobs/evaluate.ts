import { LATE_DATA_HORIZON_MS, type EvaluateShardJob } from "@burnrate/contracts";
import {
  alertSnapshotOf,
  loadMinuteSeries,
  recomputeSliMinutes,
  sloRegions,
  toSloModel,
  toSloResponse,
  type Db,
  type SloWithService,
} from "@burnrate/db";
import {
  buildPrefixSums,
  evaluateTiers,
  maxLookbackMs,
  minuteEnd,
  nextAlertState,
  type AlertSnapshot,
  type SloModel,
  type TierDecision,
} from "@burnrate/slo-core";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../catalog";
import {
  activeSuppression,
  createAlertOnce,
  derivePriority,
  evaluateNoData,
  recordEvent,
  releaseIfHeld,
  suppressedDetail,
  type Suppression,
} from "./alerting";
import { DEFAULT_NO_DATA_MINUTES } from "./dispatch";

/** Minutes recomputed from the rollups on every cycle even when ingest marked nothing (covers a lost tick). */
const RECENT_RECOMPUTE_MS = 5 * 60_000;
const include = { service: { include: { team: true } }, endpoint: true } as const;

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

/** Evaluates the SLOs of one shard (by a stable hash of the id, so no SLO is in two shards). */
export function createEvaluateShardJob(deps: { db: Db; enqueue: Enqueue; now: () => number; log: Logger }) {
  return async (payload: EvaluateShardJob) => {
    // bigint before abs(): hashtext() may return -2^31, whose int4 abs() overflows.
    const ids = await deps.db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM slos WHERE mod(abs(hashtext(id::text)::bigint), $1) = $2 ORDER BY id`,
      payload.shards,
      payload.shard,
    );
    const cycle = new Date(payload.minuteMs).toISOString();
    let evaluated = 0;
    let skipped = 0;
    for (const { id } of ids) {
      // Claim the SLO for this cycle atomically: a shard job run twice (a stalled job taken over by another
      // worker, two ticks that counted a different number of shards) evaluates each SLO once per cycle.
      const claim = await deps.db.$queryRawUnsafe<{ prev: Date | null }[]>(
        `UPDATE slos s SET last_evaluated_cycle = $2::timestamptz, evaluations = s.evaluations + 1
           FROM (SELECT id, last_evaluated_cycle AS prev FROM slos WHERE id = $1::uuid) o
          WHERE s.id = o.id AND (s.last_evaluated_cycle IS NULL OR s.last_evaluated_cycle < $2::timestamptz)
          RETURNING o.prev`,
        id,
        cycle,
      );
      if (claim.length === 0) {
        skipped++;
        continue;
      }
      try {
        await evaluateSlo(deps, id, payload.dirty);
        evaluated++;
      } catch (err) {
        deps.log.error({ err, sloId: id }, "SLO evaluation failed");
        // Give the claim back, so `evaluations` counts evaluations that happened.
        await deps.db
          .$executeRawUnsafe(
            `UPDATE slos SET last_evaluated_cycle = $3::timestamptz, evaluations = evaluations - 1
              WHERE id = $1::uuid AND last_evaluated_cycle = $2::timestamptz`,
            id,
            cycle,
            claim[0]!.prev,
          )
          .catch(() => undefined);
      }
    }
    if (skipped > 0)
      deps.log.info({ shard: payload.shard, skipped }, "SLOs already evaluated in this cycle were skipped");
    await deps.db.evaluationRun
      .create({
        data: {
          minute: new Date(payload.minuteMs),
          shard: payload.shard,
          shards: payload.shards,
          slos: evaluated,
        },
      })
      .catch(() => undefined);
    return { evaluated, skipped };
  };
}

export async function evaluateSlo(
  deps: { db: Db; enqueue: Enqueue; now: () => number },
  sloId: string,
  dirty: Record<string, number>,
): Promise<void> {
  const { db } = deps;
  const row = await db.slo.findUnique({ where: { id: sloId }, include });
  if (!row) return;
  const slo = toSloResponse(row);
  const nowMs = deps.now();
  const toMs = minuteEnd(nowMs);
  const dirtyFrom = dirty[row.serviceId];
  const recomputeFrom = Math.max(
    toMs - LATE_DATA_HORIZON_MS,
    Math.min(dirtyFrom ?? Infinity, toMs - RECENT_RECOMPUTE_MS),
  );
  await recomputeSliMinutes(
    db,
    {
      sloId,
      serviceId: row.serviceId,
      endpointId: row.endpointId,
      failureStatuses: row.service.failureStatuses,
      sli: slo.sli,
    },
    recomputeFrom,
    toMs,
  );

  const model = toSloModel(slo, nowMs);
  const lookback = maxLookbackMs(model.tiers);
  const allRegions = await sloRegions(db, sloId);
  const regions = allRegions.filter((r) => r.lastMs >= toMs - lookback);
  const open = await db.alert.findMany({
    where: { sloId, kind: "burn_rate", state: { in: ["firing", "acknowledged"] } },
  });
  const keys = new Set([...regions.map((r) => r.slug), ...open.map((a) => a.regionKey)]);
  for (const regionKey of keys) {
    const region = regions.find((r) => r.slug === regionKey);
    let decisions: TierDecision[] = [];
    if (region) {
      const series = await loadMinuteSeries(db, sloId, region.id, toMs - lookback, toMs);
      decisions = evaluateTiers(buildPrefixSums(series), toMs, model.objective, model.tiers, model.guard);
    }
    const current = open.find((a) => a.regionKey === regionKey) ?? null;
    await applyDecisions(deps, {
      row,
      model,
      regionKey,
      regionId: region?.id ?? null,
      current,
      decisions,
      nowMs,
    });
  }
  await evaluateNoData(deps, {
    row,
    lastDataMs: allRegions.length ? Math.max(...allRegions.map((r) => r.lastMs)) : null,
    noDataMinutes: slo.alerting?.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES,
    nowMs,
  });
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
  const suppression = await activeSuppression(db, {
    sloId,
    serviceId: a.row.serviceId,
    teamId: a.row.service.teamId,
    regionKey: a.regionKey,
    nowMs: a.nowMs,
  });
  // The SLO's own priority, else one derived from the burn (stored on the alert; the message says so).
  const derive = async () =>
    a.row.priority
      ? null
      : derivePriority(db, { sloId, regionId: a.regionId, model: a.model, nowMs: a.nowMs });
  if (!a.current) {
    const created = await createAlertOnce(db, {
      sloId,
      regionKey: a.regionKey,
      kind: "burn_rate",
      severity: next.severity ?? "ticket",
      priority: await derive(),
      tiers,
      nowMs: a.nowMs,
      eventKind: "fired",
      detail: {
        severity: next.severity,
        tiers: tiers.filter((t) => t.firing).map((t) => t.tier),
        ...suppressedDetail(suppression),
      },
    });
    if (created && !suppression)
      await deps.enqueue(
        "alert.dispatch",
        { alertId: created.alertId, eventKind: "fired", eventId: created.eventId },
        `dispatch-${created.eventId}`,
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
  for (const n of unsnoozed) {
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
  if (!resolved && !suppression && !next.snoozedUntilMs)
    await releaseIfHeld(deps, {
      alertId: a.current.id,
      severity: next.severity ?? a.current.severity,
      nowMs: a.nowMs,
    });
}

import { LATE_DATA_HORIZON_MS, type EvaluateShardJob } from "@burnrate/contracts";
import {
  alertSnapshotOf,
  loadMinuteSeries,
  recomputeSliMinutes,
  sloRegions,
  toSloModel,
  toSloResponse,
  type Db,
} from "@burnrate/db";
import {
  buildPrefixSums,
  evaluateTiers,
  maxLookbackMs,
  minuteEnd,
  nextAlertState,
  type AlertSnapshot,
  type TierDecision,
} from "@burnrate/slo-core";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Enqueue } from "../catalog";

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
    const ids = await deps.db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM slos WHERE mod(abs(hashtext(id::text)), $1) = $2 ORDER BY id`,
      payload.shards,
      payload.shard,
    );
    let evaluated = 0;
    for (const { id } of ids) {
      try {
        await evaluateSlo(deps, id, payload.dirty);
        evaluated++;
      } catch (err) {
        deps.log.error({ err, sloId: id }, "SLO evaluation failed");
      }
    }
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
    return { evaluated };
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
  const regions = (await sloRegions(db, sloId)).filter((r) => r.lastMs >= toMs - lookback);
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
    await applyDecisions(deps, { sloId, regionKey, current, decisions, nowMs });
  }
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
    sloId: string;
    regionKey: string;
    current: {
      id: string;
      state: string;
      severity: string;
      snoozedUntil: Date | null;
      firedAt: Date;
      acknowledgedBy: string | null;
    } | null;
    decisions: TierDecision[];
    nowMs: number;
  },
): Promise<void> {
  const prev = a.current ? alertSnapshotOf(a.current) : OK;
  const { next, notify } = nextAlertState(prev, a.decisions, a.nowMs);
  const tiers = a.decisions.map((d) => ({ ...d }));
  if (!a.current) {
    if (next.state !== "firing") return;
    const created = await deps.db.alert.create({
      data: {
        sloId: a.sloId,
        regionKey: a.regionKey,
        state: "firing",
        severity: next.severity ?? "ticket",
        tiers,
        firedAt: new Date(a.nowMs),
        events: {
          create: {
            kind: "fired",
            at: new Date(a.nowMs),
            detail: { severity: next.severity, tiers: tiers.filter((t) => t.firing).map((t) => t.tier) },
          },
        },
      },
      include: { events: true },
    });
    await deps.enqueue(
      "alert.dispatch",
      { alertId: created.id, eventKind: "fired", eventId: created.events[0]!.id },
      `dispatch-${created.events[0]!.id}`,
    );
    return;
  }
  const resolved = next.state === "resolved" || next.state === "ok";
  await deps.db.alert.update({
    where: { id: a.current.id },
    data: {
      state: resolved ? "resolved" : next.state,
      severity: next.severity ?? a.current.severity,
      tiers,
      snoozedUntil: next.snoozedUntilMs ? new Date(next.snoozedUntilMs) : null,
      ...(resolved ? { resolvedAt: new Date(a.nowMs) } : {}),
    },
  });
  for (const n of notify) {
    const ev = await deps.db.alertEvent.create({
      data: {
        alertId: a.current.id,
        kind: n.kind,
        at: new Date(a.nowMs),
        detail: { severity: next.severity },
      },
    });
    await deps.enqueue(
      "alert.dispatch",
      { alertId: a.current.id, eventKind: n.kind, eventId: ev.id },
      `dispatch-${ev.id}`,
    );
  }
}

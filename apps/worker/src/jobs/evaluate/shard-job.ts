import type { EvaluateShardJob } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Logger } from "pino";
import { jobIdOf, type Enqueue } from "../../catalog";
import {
  DEFAULT_EVAL_LEASE_MS,
  claimShard,
  completeClaims,
  countShard,
  releaseClaims,
  type ShardClaim,
} from "./claims";
import { recordEvaluationRun } from "../../watchdog";
import { evaluateSlos } from "./evaluate-slos";
import type { PrometheusPullOptions } from "./prometheus-sli";

/**
 * Evaluates the SLOs of one shard (a range of ids, claims.ts shardBounds, so no SLO is in two shards), set-based: one
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
  /** Time limits, retries and no-data minutes of Prometheus-sourced SLOs. */
  prometheus?: Partial<PrometheusPullOptions>;
}) {
  const leaseMs = deps.leaseMs ?? DEFAULT_EVAL_LEASE_MS;
  return async (payload: EvaluateShardJob, ctx: { jobId?: string } = {}) => {
    const { db } = deps;
    const claim: ShardClaim = {
      shards: payload.shards,
      shard: payload.shard,
      cycle: new Date(payload.minuteMs).toISOString(),
      // The holder is the shard job: its retry (BullMQ keeps the job id across attempts, and a job whose worker
      // died comes back under its id) takes over the claims its earlier attempt left behind.
      holder: ctx.jobId ?? jobIdOf("slo.evaluate", payload),
    };
    const ids = await claimShard(db, claim, leaseMs);
    const skipped = Math.max(0, (await countShard(db, claim)) - ids.length);
    // Give claims back, so `evaluations` counts evaluations that happened and a retry evaluates them.
    const release = async (released: string[]) => {
      if (released.length === 0) return;
      await releaseClaims(db, claim, released).catch((err: unknown) =>
        deps.log.error({ err }, "could not release evaluation claims"),
      );
    };
    let evaluated = 0;
    let phases: Record<string, number> = {};
    if (ids.length > 0) {
      const result = await evaluateSlos(deps, ids, payload.dirty).catch(async (err: unknown) => {
        // Nothing was evaluated (the database went away, say): give every claim back, so the retry does it.
        await release(ids);
        throw err;
      });
      await release(result.failed);
      const failed = new Set(result.failed);
      // Done: the lease ends, and the cycle's evaluation of these SLOs is final.
      await completeClaims(
        db,
        claim,
        ids.filter((id) => !failed.has(id)),
      );
      if (result.failed.length === ids.length && result.error) throw result.error;
      evaluated = ids.length - result.failed.length;
      phases = result.phases ?? {};
    }
    if (skipped > 0)
      deps.log.info({ shard: payload.shard, skipped }, "SLOs already evaluated in this cycle were skipped");
    await recordEvaluationRun(db, {
      minuteMs: payload.minuteMs,
      shard: payload.shard,
      shards: payload.shards,
      slos: evaluated,
    }).catch(() => undefined);
    // phases: milliseconds from the start of the evaluation to the end of each step (load, recompute, …)
    return { evaluated, skipped, phases };
  };
}

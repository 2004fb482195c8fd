import { PolicyConditionSpec, POLICY_ROLES, Signature, trimPercent } from "@burnrate/contracts";
import { inTransaction, loadSliSeries, recordEnactmentEvent, type Db } from "@burnrate/db";
import {
  budgetBurnedWithin,
  buildPrefixSums,
  evaluateCondition,
  HOUR_MS,
  minuteEnd,
  statusFromSums,
  statusRange,
} from "@burnrate/slo-core";
import { enqueueWebhookEvents } from "@burnrate/jobs";
import { z } from "zod";
import { carryOut } from "./carry-out";
import { describeEnactment } from "./describe-enactment";
import { enactmentDetail } from "./enactment-detail";
import type { PolicyDeps } from "./policy-deps";
import { loadPolicyTargets, sumsKey } from "./policy-targets";
import { remindReview } from "./remind-review";

type Policy = Awaited<ReturnType<Db["errorBudgetPolicy"]["findMany"]>>[number];

/** The key of an enactment: one per condition × SLO × region. */
const enactmentKey = (conditionId: string | null, sloId: string | null, regionKey: string | null) =>
  `${conditionId}|${sloId}|${regionKey}`;

/** Closes an enactment and records its policy.enacted ("ended") event with it. */
async function closeEnactment(
  deps: PolicyDeps,
  id: string,
  team: { id: string; slug: string },
  data: { closedAt: Date; closedBy: string; reason: string },
  slo: { id: string; name: string; service: string } | null,
): Promise<void> {
  const eventId = await inTransaction(deps.db, async (tx) => {
    const e = await tx.policyEnactment.update({ where: { id }, data });
    // The SLO as it is now (null when it is gone).
    const s =
      slo ??
      (e.sloId
        ? await tx.slo
            .findUnique({ where: { id: e.sloId }, select: { id: true, name: true, service: true } })
            .then((x) => (x ? { id: x.id, name: x.name, service: x.service.slug } : null))
        : null);
    return recordEnactmentEvent(tx, e, "ended", {
      teamId: team.id,
      team: team.slug,
      consequences: null,
      slo: s,
    });
  });
  await enqueueWebhookEvents(deps.enqueue, [eventId]);
}

/** One pass over every policy (createPolicyJob runs it under its lock). */
export function evaluatePolicies(deps: PolicyDeps) {
  return async () => {
    const nowMs = deps.now();
    const policies = await deps.db.errorBudgetPolicy.findMany({ include: {} });
    let opened = 0;
    let closed = 0;
    for (const p of policies) {
      const r = await evaluatePolicy(deps, p, nowMs);
      opened += r.opened;
      closed += r.closed;
    }
    deps.log.debug({ policies: policies.length, opened, closed }, "policies evaluated");
    return { policies: policies.length, opened, closed };
  };
}

/**
 * One policy: not in force (a signature missing), its automatic enactments close. In force, each automatic
 * condition is judged for every SLO × region of the team: an enactment opens (and its consequences are carried
 * out) when it becomes true, and closes when it stops being true or is no longer evaluated. Then the review
 * reminders.
 */
async function evaluatePolicy(
  deps: PolicyDeps,
  p: Policy,
  nowMs: number,
): Promise<{ opened: number; closed: number }> {
  const { db } = deps;
  let opened = 0;
  let closed = 0;
  const team = await db.team.findUniqueOrThrow({ where: { id: p.teamId } });
  const agreed = z.array(Signature).parse(p.agreedBy);
  const inForce = POLICY_ROLES.every((r) => agreed.some((s) => s.role === r));
  if (!inForce) {
    const open = await db.policyEnactment.findMany({
      where: { policyId: p.id, closedAt: null, manual: false },
      select: { id: true },
    });
    for (const e of open)
      await closeEnactment(
        deps,
        e.id,
        team,
        {
          closedAt: new Date(nowMs),
          closedBy: "burnrate",
          reason: "the policy is not in force (a signature is missing)",
        },
        null,
      );
    return { opened, closed: open.length };
  }
  const conditions = z
    .array(PolicyConditionSpec)
    .parse(p.conditions)
    .filter((c) => c.type !== "manual");
  const { targets, sums } = await loadPolicyTargets(db, p.teamId, conditions, nowMs);
  const open = await db.policyEnactment.findMany({
    where: { policyId: p.id, closedAt: null, manual: false },
  });
  const seen = new Set<string>();
  for (const { slo, model, period, regions } of targets) {
    for (const region of regions) {
      // Timeslices judge every minute of the period.
      const prefix =
        sums.get(sumsKey(slo.id, region.id)) ??
        buildPrefixSums(
          await loadSliSeries(db, slo.id, region.id, statusRange(model, nowMs).fromMs, minuteEnd(nowMs)),
        );
      const status = statusFromSums(model, prefix, nowMs);
      for (const c of conditions) {
        const result = evaluateCondition(c as Parameters<typeof evaluateCondition>[0], {
          remaining: status.remaining,
          burnedFractionWithin: (hours) => budgetBurnedWithin(model, prefix, nowMs, hours * HOUR_MS),
        });
        const key = enactmentKey(c.id, slo.id, region.slug);
        seen.add(key);
        const current = open.find((e) => enactmentKey(e.conditionId, e.sloId, e.regionKey) === key);
        if (result.met && !current) {
          const detail = enactmentDetail(c, { remaining: status.remaining, value: result.value, period });
          const sloRef = { id: slo.id, name: slo.name, service: slo.service };
          const { e, eventId } = await inTransaction(db, async (tx) => {
            const e = await tx.policyEnactment.create({
              data: {
                policyId: p.id,
                teamId: p.teamId,
                conditionId: c.id,
                sloId: slo.id,
                regionKey: region.slug,
                openedAt: new Date(nowMs),
                openedBy: "burnrate",
                detail,
              },
            });
            const eventId = await recordEnactmentEvent(tx, e, "enacted", {
              teamId: p.teamId,
              team: team.slug,
              consequences: c.consequences.map((x) => x.type),
              slo: sloRef,
            });
            return { e, eventId };
          });
          await enqueueWebhookEvents(deps.enqueue, [eventId]);
          const done = await carryOut(deps, {
            enactmentId: e.id,
            team,
            consequences: c.consequences,
            text: describeEnactment(c, slo.name, slo.service, region.slug, detail),
          });
          await db.policyEnactment.update({ where: { id: e.id }, data: { consequences: done } });
          opened++;
        } else if (!result.met && current) {
          await closeEnactment(
            deps,
            current.id,
            team,
            {
              closedAt: new Date(nowMs),
              closedBy: "burnrate",
              reason: `condition no longer true (${trimPercent(Math.round(result.value * 10) / 10)})`,
            },
            { id: slo.id, name: slo.name, service: slo.service },
          );
          closed++;
        }
      }
    }
  }
  // Enactments whose SLO, region or condition is gone (or whose period rolled over with no data yet) close.
  for (const e of open) {
    if (!seen.has(enactmentKey(e.conditionId, e.sloId, e.regionKey))) {
      await closeEnactment(
        deps,
        e.id,
        team,
        {
          closedAt: new Date(nowMs),
          closedBy: "burnrate",
          reason: "condition no longer evaluated (new period without data, or SLO removed)",
        },
        null,
      );
      closed++;
    }
  }
  await remindReview(deps, p, team, nowMs);
  return { opened, closed };
}

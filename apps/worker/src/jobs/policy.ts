import {
  PolicyConditionSpec,
  POLICY_ROLES,
  Signature,
  trimPercent,
  type Consequence,
} from "@burnrate/contracts";
import { cumulativeCounts, loadSliSeries, loadTeamSlos, regionsOfSlos, type Db } from "@burnrate/db";
import { retrySlack, type SlackSender } from "@burnrate/slack";
import {
  budgetBurnedWithin,
  buildPrefixSums,
  evaluateCondition,
  evaluationInstants,
  HOUR_MS,
  minuteEnd,
  periodAt,
  statusFromSums,
  statusRange,
  type SampledSums,
} from "@burnrate/slo-core";
import type { Logger } from "pino";
import { z } from "zod";

interface Deps {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
}

/**
 * Every cycle: for each policy in force, evaluate its automatic conditions for every SLO × region of the
 * team (slo-core), open an enactment when a condition becomes true (and carry out its consequences), close it
 * when the condition stops being true. Also sends the review reminders (at the review date, or at the first
 * P1 alert, whichever comes first).
 */
export function createPolicyJob(deps: Deps) {
  const run = evaluatePolicies(deps);
  // Single flight across workers: two runs at once would both open the same enactment and notify twice.
  // A transaction-scoped advisory lock is released by Postgres if the worker dies.
  return () =>
    deps.db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
          `SELECT pg_try_advisory_xact_lock(${POLICY_LOCK_ID}) AS locked`,
        );
        if (!row?.locked) return { skipped: "another policy evaluation is running" };
        return run();
      },
      { timeout: 10 * 60_000, maxWait: 10_000 },
    );
}

/** Advisory lock id of the policy evaluation (any constant unique in this database). */
const POLICY_LOCK_ID = 727_276;

function evaluatePolicies(deps: Deps) {
  return async () => {
    const { db } = deps;
    const nowMs = deps.now();
    const policies = await db.errorBudgetPolicy.findMany({ include: {} });
    let opened = 0;
    let closed = 0;
    for (const p of policies) {
      const team = await db.team.findUniqueOrThrow({ where: { id: p.teamId } });
      const agreed = z.array(Signature).parse(p.agreedBy);
      const inForce = POLICY_ROLES.every((r) => agreed.some((s) => s.role === r));
      if (!inForce) {
        const r = await db.policyEnactment.updateMany({
          where: { policyId: p.id, closedAt: null, manual: false },
          data: {
            closedAt: new Date(nowMs),
            closedBy: "burnrate",
            reason: "the policy is not in force (a signature is missing)",
          },
        });
        closed += r.count;
        continue;
      }
      const conditions = z
        .array(PolicyConditionSpec)
        .parse(p.conditions)
        .filter((c) => c.type !== "manual");
      const slos = await loadTeamSlos(db, p.teamId);
      const open = await db.policyEnactment.findMany({
        where: { policyId: p.id, closedAt: null, manual: false },
      });
      const seen = new Set<string>();
      const regionsBy = await regionsOfSlos(
        db,
        slos.map((r) => r.id),
      );
      const items = slos.map((loaded) => {
        const slo = loaded.response;
        const model = loaded.model(nowMs);
        const period = periodAt(model.window, nowMs);
        const regions = (regionsBy.get(slo.id) ?? []).filter((r) => r.lastMs >= period.startMs);
        // What the conditions read: the status instants, and the start of each "burned within H hours".
        const instants = [
          ...evaluationInstants(model, nowMs),
          ...conditions.flatMap((c) =>
            c.type === "burned_within"
              ? [Math.max(period.startMs, minuteEnd(nowMs) - c.hours * HOUR_MS)]
              : [],
          ),
        ];
        return { slo, model, period, regions, instants: [...new Set(instants)] };
      });
      // Occurrences: the running totals at those instants for every SLO × region of the team, in one query.
      const sampled = items.flatMap((x) =>
        x.model.method === "occurrences" ? x.regions.map((region) => ({ x, region })) : [],
      );
      const queries = sampled.flatMap((p) =>
        p.x.instants.map((atMs) => ({ sloId: p.x.slo.id, regionId: p.region.id, atMs })),
      );
      const counts = await cumulativeCounts(db, queries);
      const sumsOf = new Map<string, SampledSums>();
      let k = 0;
      for (const p of sampled) {
        const at = new Map<number, { good: number; total: number }>();
        for (const t of p.x.instants) at.set(t, counts[k++]!);
        sumsOf.set(`${p.x.slo.id}|${p.region.id}`, { at });
      }
      for (const { slo, model, period, regions } of items) {
        for (const region of regions) {
          // Timeslices judge every minute of the period.
          const prefix =
            sumsOf.get(`${slo.id}|${region.id}`) ??
            buildPrefixSums(
              await loadSliSeries(db, slo.id, region.id, statusRange(model, nowMs).fromMs, minuteEnd(nowMs)),
            );
          const status = statusFromSums(model, prefix, nowMs);
          for (const c of conditions) {
            const result = evaluateCondition(c as Parameters<typeof evaluateCondition>[0], {
              remaining: status.remaining,
              burnedFractionWithin: (hours) => budgetBurnedWithin(model, prefix, nowMs, hours * HOUR_MS),
            });
            const key = `${c.id}|${slo.id}|${region.slug}`;
            seen.add(key);
            const current = open.find((e) => `${e.conditionId}|${e.sloId}|${e.regionKey}` === key);
            if (result.met && !current) {
              const detail = {
                remaining: status.remaining,
                consumedPercent: evaluateCondition(
                  { type: "consumed", percent: 100 },
                  { remaining: status.remaining },
                ).value,
                burnedPercent: c.type === "burned_within" ? result.value : null,
                period: {
                  start: new Date(period.startMs).toISOString(),
                  end: new Date(period.endMs).toISOString(),
                },
              };
              const e = await db.policyEnactment.create({
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
              const done = await carryOut(deps, {
                enactmentId: e.id,
                team,
                consequences: c.consequences,
                text: describe(c, slo.name, slo.service, region.slug, detail),
              });
              await db.policyEnactment.update({ where: { id: e.id }, data: { consequences: done } });
              opened++;
            } else if (!result.met && current) {
              await db.policyEnactment.update({
                where: { id: current.id },
                data: {
                  closedAt: new Date(nowMs),
                  closedBy: "burnrate",
                  reason: `condition no longer true (${trimPercent(Math.round(result.value * 10) / 10)})`,
                },
              });
              closed++;
            }
          }
        }
      }
      // Enactments whose SLO, region or condition is gone (or whose period rolled over with no data yet) close.
      for (const e of open) {
        if (!seen.has(`${e.conditionId}|${e.sloId}|${e.regionKey}`)) {
          await db.policyEnactment.update({
            where: { id: e.id },
            data: {
              closedAt: new Date(nowMs),
              closedBy: "burnrate",
              reason: "condition no longer evaluated (new period without data, or SLO removed)",
            },
          });
          closed++;
        }
      }
      await remindReview(deps, p, team, nowMs);
    }
    deps.log.debug({ policies: policies.length, opened, closed }, "policies evaluated");
    return { policies: policies.length, opened, closed };
  };
}

function describe(
  c: z.infer<typeof PolicyConditionSpec>,
  slo: string,
  service: string,
  region: string,
  d: { remaining: number; consumedPercent: number; burnedPercent: number | null },
): string {
  const pct = (x: number) => `${trimPercent(Math.round(x * 10) / 10)}%`;
  const what =
    c.type === "exhausted"
      ? `its error budget is exhausted (${pct(d.remaining * 100)} left)`
      : c.type === "consumed"
        ? `${pct(d.consumedPercent)} of the period's error budget is consumed (policy: ≥ ${c.percent}%)`
        : c.type === "burned_within"
          ? `${pct(d.burnedPercent ?? 0)} of the budget burned within ${c.hours} h (policy: ≥ ${c.percent}%)`
          : "";
  return `Error budget policy: SLO '${slo}' (${service}, ${region}): ${what}. Condition '${c.id}' is now enacted.`;
}

async function carryOut(
  deps: Deps,
  a: {
    enactmentId: string;
    team: { slackChannel: string | null; slug: string };
    consequences: Consequence[];
    text: string;
  },
) {
  const out: { type: string; status: string; detail?: string }[] = [];
  for (const [i, c] of a.consequences.entries()) {
    if (c.type === "notify") {
      const channel = c.channel ?? a.team.slackChannel;
      if (!channel) out.push({ type: c.type, status: "skipped", detail: "no channel" });
      else
        out.push({
          type: c.type,
          ...(await postOnce(deps, { key: `enactment:${a.enactmentId}:${i}`, channel, text: a.text })),
        });
    } else if (c.type === "work_item" && c.webhookUrl) {
      try {
        const res = await fetch(c.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            team: a.team.slug,
            text: c.text,
            reason: a.text,
            enactmentId: a.enactmentId,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        out.push({ type: c.type, status: res.ok ? "sent" : "failed", detail: `HTTP ${res.status}` });
      } catch (e) {
        out.push({ type: c.type, status: "failed", detail: (e as Error).message });
      }
    } else out.push({ type: c.type, status: c.type === "release_freeze" ? "in effect" : "recorded" });
  }
  return out;
}

/** Posts a message at most once per key (the key is stored before the call, and looked up after a crash). */
async function postOnce(
  deps: Deps,
  m: { key: string; channel: string; text: string },
): Promise<{ status: string; detail?: string }> {
  const { db, slack } = deps;
  if (!slack) return { status: "skipped", detail: "slack_not_configured" };
  const d = await db.slackDelivery.upsert({
    where: { idempotencyKey: m.key },
    create: { idempotencyKey: m.key, kind: "policy", channel: m.channel, status: "pending" },
    update: {},
  });
  if (d.status === "sent") return { status: "sent" };
  await db.slackDelivery.update({ where: { id: d.id }, data: { attempts: { increment: 1 } } });
  try {
    // Transient failures are retried here (the Slack client does not), looking the key up first.
    const ts = await retrySlack(async (retry) => {
      const found =
        d.attempts > 0 || retry
          ? await slack.findByKey({
              channel: m.channel,
              key: m.key,
              oldestMs: d.createdAt.getTime() - 60_000,
            })
          : null;
      return found ?? (await slack.post({ channel: m.channel, text: m.text, key: m.key })).ts;
    });
    await db.slackDelivery.update({ where: { id: d.id }, data: { status: "sent", ts } });
    return { status: "sent" };
  } catch (e) {
    await db.slackDelivery.update({
      where: { id: d.id },
      data: { status: "failed", error: (e as Error).message },
    });
    deps.log.warn({ err: (e as Error).message, key: m.key }, "policy notification failed");
    return { status: "failed", detail: (e as Error).message };
  }
}

/** Review at the date, or at the first P1 outage in scope, whichever comes first (book ch.10). */
async function remindReview(
  deps: Deps,
  p: { id: string; version: number; nextReviewAt: Date | null; updatedAt: Date; teamId: string },
  team: { slackChannel: string | null; slug: string },
  nowMs: number,
) {
  if (!team.slackChannel) return;
  if (p.nextReviewAt && p.nextReviewAt.getTime() <= nowMs) {
    const date = p.nextReviewAt.toISOString().slice(0, 10);
    await postOnce(deps, {
      key: `policy-review:${p.id}:${date}`,
      channel: team.slackChannel,
      text: `The error budget policy of team ${team.slug} is due for review (review date ${date}): ${deps.publicUrl}/teams/${team.slug}/policy`,
    });
  }
  const p1 = await deps.db.alert.findFirst({
    where: { priority: "P1", firedAt: { gte: p.updatedAt }, slo: { service: { teamId: p.teamId } } },
    include: { slo: true },
    orderBy: { firedAt: "asc" },
  });
  if (p1) {
    await postOnce(deps, {
      key: `policy-review-p1:${p.id}:v${p.version}`,
      channel: team.slackChannel,
      text: `A P1 alert fired for '${p1.slo.name}': the error budget policy of team ${team.slug} is due for review now (the book: at the first P1 outage). ${deps.publicUrl}/teams/${team.slug}/policy`,
    });
  }
}

/** Exposed for tests: the minute the policy job considers "now". */
export const policyMinute = (nowMs: number) => minuteEnd(nowMs);

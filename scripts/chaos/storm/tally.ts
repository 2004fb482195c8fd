/** The storm's closing count: the fake Slack's store against the database, once the workers are stopped. */
import type { Db } from "../../../packages/db/src/index.ts";
import type { FakeMessage, FakeSlack } from "../../../packages/slack/src/testing/fake-slack.ts";
import { SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import type { ChaosRow } from "../lib.ts";
import { undelivered } from "./drain.ts";
import type { WorkerKills } from "./faults.ts";
import type { Respawning } from "./respawning.ts";

export interface StormEnd {
  scenario: string;
  db: Db;
  slack: FakeSlack;
  workers: Respawning[];
  faults: WorkerKills;
  /** Services, each with one SLO: the alerts expected. */
  services: number;
  /** Worker kills planned. */
  plannedKills: number;
  drainLimitMs: number;
  /** From the last fault to the drain; null when it did not drain within drainLimitMs. */
  drainMs: number | null;
}

export async function tally(end: StormEnd): Promise<ChaosRow[]> {
  const { scenario, db, slack, workers, faults, drainMs } = end;
  const { services: N, plannedKills: KILLS, drainLimitMs: DRAIN_LIMIT_MS } = end;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string | number, target: string, ok: boolean) =>
    rows.push({ scenario, check, value: String(value), target, ok });
  const finalAlerts = await db.alert.findMany({
    select: { id: true, state: true, slackTs: true, _count: { select: { events: true } } },
  });
  const tops = new Map<string, FakeMessage[]>();
  const replyKeys = new Map<string, number>();
  for (const m of slack.messages) {
    const p = m.metadata?.event_payload ?? {};
    if (m.threadTs === null) {
      // The alert's id (older messages carry only the key, `<alertId>:<eventId>`).
      const id = String(p.alert ?? String(p.key ?? "").split(":")[0]);
      tops.set(id, [...(tops.get(id) ?? []), m]);
    } else {
      const key = String(p.key ?? "");
      replyKeys.set(key, (replyKeys.get(key) ?? 0) + 1);
    }
  }
  const lost = finalAlerts.filter((a) => !tops.get(a.id)?.length).length;
  const dupTop = finalAlerts.reduce((n, a) => n + Math.max(0, (tops.get(a.id)?.length ?? 0) - 1), 0);
  const dupReplies = [...replyKeys.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  const shown = (m: FakeMessage) =>
    m.text.startsWith(":white_check_mark: Resolved")
      ? "resolved"
      : JSON.stringify(m.blocks).includes(":eyes: Acknowledged by")
        ? "acknowledged"
        : "firing";
  const wrongState = finalAlerts.filter((a) => {
    const m = tops.get(a.id)?.[0];
    return !m || shown(m) !== a.state || a.slackTs !== m.ts;
  }).length;
  const byState = finalAlerts.reduce<Record<string, number>>(
    (acc, a) => ({ ...acc, [a.state]: (acc[a.state] ?? 0) + 1 }),
    {},
  );
  const stillPending = await undelivered(db);
  const [sentNotInSlack] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM slack_deliveries WHERE status = 'sent' AND NOT (ts = ANY($1::text[]))`,
    slack.messages.map((m) => m.ts),
  );
  const failed = await db.slackDelivery.count({ where: { status: "failed" } });

  row("alerts", `${finalAlerts.length} (${JSON.stringify(byState)})`, `${N}`, finalAlerts.length === N);
  row(
    "faults",
    `${faults.kills} worker SIGKILLs (${faults.killsAfterPost} 0–30 ms after a post), 1 Redis + 1 Postgres restart; ` +
      `Slack: ${slack.faultCounts.http500}×500, ${slack.faultCounts.ratelimited}×429, ` +
      `${slack.faultCounts.lostAnswers} answers lost of ${slack.calls.length} calls`,
    `${KILLS} kills`,
    faults.kills >= KILLS,
  );
  row("lost top-level posts", lost, "0", lost === 0);
  row("duplicate top-level posts", dupTop, "0", dupTop === 0);
  row("duplicate thread replies", dupReplies, "0", dupReplies === 0);
  row("messages whose final state != database", wrongState, "0", wrongState === 0);
  row("events never delivered", stillPending, "0", stillPending === 0);
  row("deliveries recorded as sent but not in Slack", sentNotInSlack?.n ?? -1, "0", sentNotInSlack?.n === 0);
  row("deliveries failed for good", failed, "0", failed === 0);
  row(
    "time to drain after the last fault",
    drainMs === null ? `> ${DRAIN_LIMIT_MS / SECOND_MS} s` : `${(drainMs / SECOND_MS).toFixed(1)} s`,
    `< ${DRAIN_LIMIT_MS / SECOND_MS} s`,
    drainMs !== null,
  );
  row(
    "worker restarts",
    workers.map((w) => `${w}: ${w.starts}`).join(", ") + " (SIGKILLs only: none for the Redis restart)",
    "-",
    true,
  );
  return rows;
}

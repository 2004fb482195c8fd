import type { Consequence } from "@burnrate/contracts";
import type { PolicyDeps } from "./policy-deps";
import { postOnce } from "./post-once";

/** How long a work-item webhook may take to answer. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** What became of one consequence of an enactment. */
export type ConsequenceOutcome = { type: string; status: string; detail?: string };

/**
 * Carries out an enactment's consequences: a notification is posted once (to its channel, else the team's),
 * a work item with a webhook is sent to it; the others (release freeze, ...) are recorded as in effect.
 */
export async function carryOut(
  deps: PolicyDeps,
  a: {
    enactmentId: string;
    team: { slackChannel: string | null; slug: string };
    consequences: Consequence[];
    text: string;
  },
): Promise<ConsequenceOutcome[]> {
  const out: ConsequenceOutcome[] = [];
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
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        out.push({ type: c.type, status: res.ok ? "sent" : "failed", detail: `HTTP ${res.status}` });
      } catch (e) {
        out.push({ type: c.type, status: "failed", detail: (e as Error).message });
      }
    } else out.push({ type: c.type, status: c.type === "release_freeze" ? "in effect" : "recorded" });
  }
  return out;
}

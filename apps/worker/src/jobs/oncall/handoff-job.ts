import { listScheduleRows, scheduleModels, type ScheduleRow } from "@burnrate/db";
import { renderHandoffNotice } from "@burnrate/slack";
import { DAY_MS, MINUTE_MS, handoffsBetween, holdersAt, listShifts } from "@burnrate/slo-core";
import type { PolicyDeps } from "../policy";
import { postOnce } from "../policy/post-once";

/**
 * A hand-off is announced if it happened at most this long ago: a worker that was down for a few minutes
 * still announces it, one that was down for hours does not flood the channel with stale notices.
 */
export const HANDOFF_LOOKBACK_MS = 10 * MINUTE_MS;
/** How far ahead the notice looks for the next main shift. */
const NEXT_SHIFT_HORIZON_MS = 60 * DAY_MS;

/** The Slack channels of the teams a schedule covers; a region's schedule has none (no team channel). */
function channelsOf(row: ScheduleRow): string[] {
  const teams = row.team ? [row.team] : row.domainTeams.map((d) => d.team);
  return [...new Set(teams.flatMap((t) => (t.slackChannel ? [t.slackChannel] : [])))];
}

/**
 * Every run: for each schedule of a team with a Slack channel, each main shift that started since the lookback
 * is announced in the channel: who holds each position now, and who takes the main position next. Each notice
 * has the idempotency key schedule × shift start × channel, so runs that overlap, retries and several workers
 * post it once.
 */
export function createHandoffJob(deps: PolicyDeps) {
  return async () => {
    const now = deps.now();
    const from = now - HANDOFF_LOOKBACK_MS;
    const results: { key: string; status: string }[] = [];
    // Schedules and their overrides and swaps in a fixed number of queries, however many there are.
    const rows = (await listScheduleRows(deps.db, {})).filter((row) => channelsOf(row).length > 0);
    const models = await scheduleModels(deps.db, rows, from);
    for (const row of rows) {
      const channels = channelsOf(row);
      const { model, people } = models.get(row.id)!;
      for (const t of handoffsBetween(model, from, now)) {
        const holders = holdersAt(model, t);
        const next = listShifts(model, t + 1, t + NEXT_SHIFT_HORIZON_MS).find(
          (s) => s.position === "main" && s.startMs > t + 1,
        );
        const person = (id: string) => people.get(id) ?? { name: "(deleted user)", email: "" };
        const notice = renderHandoffNotice({
          schedule: row.name,
          positions: model.positions.map((p) => {
            const h = holders[p];
            return { position: p, person: h ? person(h.member) : null };
          }),
          next: next ? { ...person(next.member), atIso: new Date(next.startMs).toISOString() } : null,
          scheduleUrl: `${deps.publicUrl.replace(/\/$/, "")}/oncall`,
        });
        for (const channel of channels) {
          const key = `handoff:${row.id}:${t}:${channel}`;
          const r = await postOnce(deps, {
            key,
            channel,
            text: notice.text,
            blocks: notice.blocks,
            kind: "handoff",
          });
          results.push({ key, status: r.status });
        }
      }
    }
    return { notices: results };
  };
}

import type { AlertTier, Severity } from "./alert-tier.js";
import { INITIAL_ALERT, nextAlertState } from "./alert-state.js";
import type { LowTrafficGuard } from "./decide-tier.js";
import { evaluateTiers } from "./evaluate.js";
import { buildPrefixSums, type MinuteSeries } from "./prefix-sums.js";
import { MINUTE_MS } from "./time-units.js";

/** Default evaluation interval of the replay (the book evaluates alerts every 5 minutes). */
export const DEFAULT_EVAL_EVERY_MS = 5 * MINUTE_MS;

/**
 * Replays the alert evaluation over a history, as the worker would (no acks, no snoozes), and
 * counts alert episodes. An episode counts once: as a page if it ever reached page severity,
 * otherwise as a ticket. `firstFiredAtMs` holds the start of every episode.
 */
export function replayPages(
  series: MinuteSeries,
  objective: number,
  tiers: AlertTier[],
  opts: { evalEveryMs?: number; guard?: LowTrafficGuard } = {},
): { pages: number; tickets: number; firstFiredAtMs: number[] } {
  const step = opts.evalEveryMs ?? DEFAULT_EVAL_EVERY_MS;
  if (!(step > 0)) throw new RangeError("evalEveryMs must be > 0");
  const p = buildPrefixSums(series);
  const endMs = series.startMs + (p.total.length - 1) * MINUTE_MS;
  let alert = INITIAL_ALERT;
  let pages = 0;
  let tickets = 0;
  let episodeMax: Severity | null = null;
  const firstFiredAtMs: number[] = [];
  const closeEpisode = (): void => {
    if (episodeMax === "page") pages += 1;
    else if (episodeMax === "ticket") tickets += 1;
    episodeMax = null;
  };
  for (let t = series.startMs + step; t <= endMs; t += step) {
    const { next, notify } = nextAlertState(alert, evaluateTiers(p, t, objective, tiers, opts.guard), t);
    for (const n of notify) {
      if (n.kind === "resolved") closeEpisode();
      if (n.kind === "fired" || n.kind === "refired") firstFiredAtMs.push(t);
    }
    if (next.severity === "page" || (next.severity === "ticket" && episodeMax === null)) {
      if (next.state === "firing" || next.state === "acknowledged") episodeMax = next.severity;
    }
    alert = next;
  }
  closeEpisode();
  return { pages, tickets, firstFiredAtMs };
}

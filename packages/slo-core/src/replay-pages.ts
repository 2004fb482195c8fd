import type { AlertTier, Severity } from "./alert-tier.js";
import { INITIAL_ALERT, nextAlertState, type AlertNotification } from "./alert-state.js";
import type { LowTrafficGuard } from "./decide-tier.js";
import { evaluateTiers } from "./evaluate.js";
import { buildPrefixSums, type MinuteSeries } from "./prefix-sums.js";
import { MINUTE_MS } from "./time-units.js";

/** The worker evaluates every SLO every minute: the replay decides at the same minutes by default. */
export const DEFAULT_EVAL_EVERY_MS = MINUTE_MS;

/** One alert episode of a replay: from the minute it fired to the minute it resolved (null: still firing). */
export interface ReplayEpisode {
  firedAtMs: number;
  resolvedAtMs: number | null;
  /** The highest severity the episode reached. */
  severity: Severity;
}

/** A notification the worker would have recorded, at the minute it decided it. */
export interface ReplayEvent {
  atMs: number;
  kind: AlertNotification["kind"];
}

/**
 * Replays the alert evaluation over a history exactly as the worker decides it (no acks, no snoozes): at each
 * minute m from the series start, the tiers read windows that end at the end of minute m (the worker's
 * `minuteEnd(now)` for a `now` within m) and the alert moves to its next state at m. Minutes whose end is past
 * `untilMs` (the end of the current minute: later minutes have not happened) or past the series are not
 * replayed. An episode counts once: as a page if it ever reached page severity, otherwise as a ticket.
 */
export function replayPages(
  series: MinuteSeries,
  objective: number,
  tiers: AlertTier[],
  opts: { evalEveryMs?: number; guard?: LowTrafficGuard; untilMs?: number } = {},
): {
  pages: number;
  tickets: number;
  firstFiredAtMs: number[];
  episodes: ReplayEpisode[];
  events: ReplayEvent[];
} {
  const step = opts.evalEveryMs ?? DEFAULT_EVAL_EVERY_MS;
  if (!(step > 0)) throw new RangeError("evalEveryMs must be > 0");
  const p = buildPrefixSums(series);
  const endMs = Math.min(series.startMs + (p.total.length - 1) * MINUTE_MS, opts.untilMs ?? Infinity);
  let alert = INITIAL_ALERT;
  const episodes: ReplayEpisode[] = [];
  const events: ReplayEvent[] = [];
  let open: ReplayEpisode | null = null;
  for (let m = series.startMs; m + MINUTE_MS <= endMs; m += step) {
    const { next, notify } = nextAlertState(
      alert,
      evaluateTiers(p, m + MINUTE_MS, objective, tiers, opts.guard),
      m,
    );
    for (const n of notify) {
      events.push({ atMs: m, kind: n.kind });
      if (n.kind === "fired" || n.kind === "refired") {
        open = { firedAtMs: m, resolvedAtMs: null, severity: next.severity ?? "ticket" };
        episodes.push(open);
      }
      if (n.kind === "escalated" && open && next.severity === "page") open.severity = "page";
      if (n.kind === "resolved" && open) {
        open.resolvedAtMs = m;
        open = null;
      }
    }
    alert = next;
  }
  const pages = episodes.filter((e) => e.severity === "page").length;
  return {
    pages,
    tickets: episodes.length - pages,
    firstFiredAtMs: episodes.map((e) => e.firedAtMs),
    episodes,
    events,
  };
}

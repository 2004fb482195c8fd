import { MINUTE_MS } from "@burnrate/slo-core";
import { slackRetryAfterSec } from "@burnrate/slack";
import { UnrecoverableError } from "bullmq";
import { LockLostError } from "./dispatch-lock";

/** Tries of one event's delivery within one job (each looks its message up by key before posting again). */
export const DEFAULT_TRIES = 10;
/** First pause between tries; it doubles after each failed try. */
export const DEFAULT_RETRY_BASE_MS = 250;
/** The longest pause between two tries. */
export const MAX_RETRY_PAUSE_MS = 2000;
/** How long one job may spend waiting out `ratelimited` answers before it leaves the rest to a job retry. */
export const MAX_RATE_LIMIT_WAIT_MS = 5 * MINUTE_MS;

/** Failed tries so far, and the time spent waiting out rate limits. */
export interface RetryState {
  failed: number;
  waitedMs: number;
}

/**
 * After a failed try: the pause before the next one and the new state, or null to give up (rethrow). A
 * permanent error or a lost lock gives up at once. Slack's `ratelimited` says how long to wait: that wait is
 * not a try, within the job's budget for waiting. Anything else is a try, paused with a doubling backoff.
 */
export function nextRetry(
  error: unknown,
  state: RetryState,
  opts: { tries: number; baseMs: number },
): { pauseMs: number; state: RetryState } | null {
  if (error instanceof UnrecoverableError || error instanceof LockLostError) return null;
  const retryAfter = slackRetryAfterSec(error);
  if (retryAfter !== null) {
    const ms = retryAfter * 1000;
    if (state.waitedMs + ms > MAX_RATE_LIMIT_WAIT_MS) return null;
    return { pauseMs: ms, state: { failed: state.failed, waitedMs: state.waitedMs + ms } };
  }
  const failed = state.failed + 1;
  if (failed >= opts.tries) return null;
  return {
    pauseMs: Math.min(MAX_RETRY_PAUSE_MS, opts.baseMs * 2 ** (failed - 1)),
    state: { failed, waitedMs: state.waitedMs },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` until it succeeds or nextRetry gives up (then its last error is thrown). */
export async function withRetries<T>(
  opts: { tries?: number; retryBaseMs?: number },
  fn: () => Promise<T>,
): Promise<T> {
  const tries = opts.tries ?? DEFAULT_TRIES;
  const baseMs = opts.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  let state: RetryState = { failed: 0, waitedMs: 0 };
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const next = nextRetry(e, state, { tries, baseMs });
      if (!next) throw e;
      state = next.state;
      await sleep(next.pauseMs);
    }
  }
}

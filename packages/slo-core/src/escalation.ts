/** One step of an escalation policy: whom to notify, and how long to wait for an acknowledgement. */
export interface EscalationStep<T> {
  target: T;
  ackTimeoutMs: number;
}

/** A notification the policy sends if nobody acknowledges before `atMs`. */
export interface EscalationNotice<T> {
  /** 0 = the first pass through the steps; pass k is the k-th repeat. */
  pass: number;
  step: number;
  target: T;
  atMs: number;
}

/**
 * When each step notifies its target, from the alert at `startMs`: step 1 at once, each next step when the
 * previous step's acknowledgement timeout has passed, and the whole chain again `repeat` more times after
 * the last step's timeout. "Repeat 3" means three passes after the first, four in all (the book: the chain
 * is rerun from step 1 that many times once it is exhausted without an acknowledgement).
 */
export function escalationTimeline<T>(
  steps: readonly EscalationStep<T>[],
  repeat: number,
  startMs: number,
): EscalationNotice<T>[] {
  const out: EscalationNotice<T>[] = [];
  let at = startMs;
  for (let pass = 0; pass <= repeat; pass++)
    steps.forEach((s, step) => {
      out.push({ pass, step, target: s.target, atMs: at });
      at += s.ackTimeoutMs;
    });
  return out;
}

/** When the chain gives up: the last step's timeout of the last pass, with nobody acknowledging. */
export function escalationEndMs(
  steps: readonly EscalationStep<unknown>[],
  repeat: number,
  startMs: number,
): number {
  return startMs + (repeat + 1) * steps.reduce((sum, s) => sum + s.ackTimeoutMs, 0);
}

/** The notifications actually sent when someone acknowledges at `ackMs`: an ack stops everything not yet sent. */
export function noticesBeforeAck<T>(
  timeline: readonly EscalationNotice<T>[],
  ackMs: number | null,
): EscalationNotice<T>[] {
  return ackMs === null ? [...timeline] : timeline.filter((n) => n.atMs < ackMs);
}

/** Where an escalation stands: the notice (pass, step) it sends next, due at `atMs`. */
export interface EscalationCursor {
  pass: number;
  step: number;
  atMs: number;
}

/**
 * The notice after `at` (just sent): the next step when the current one's acknowledgement timeout has passed,
 * counted from when the current one was due (not from when it went out, so a late worker does not shift the
 * rest of the chain); after the last step, step 1 of the next pass; null when the last pass is done. A step
 * whose every notification failed for good does not wait out its timeout: the next step is due at once
 * (`failedAtMs`, when the failure was known).
 */
export function nextEscalationNotice(
  steps: readonly { ackTimeoutMs: number }[],
  repeat: number,
  at: EscalationCursor,
  failedAtMs: number | null = null,
): EscalationCursor | null {
  const current = steps[at.step];
  if (!current) return null;
  const atMs = failedAtMs ?? at.atMs + current.ackTimeoutMs;
  if (at.step + 1 < steps.length) return { pass: at.pass, step: at.step + 1, atMs };
  if (at.pass + 1 <= repeat) return { pass: at.pass + 1, step: 0, atMs };
  return null;
}

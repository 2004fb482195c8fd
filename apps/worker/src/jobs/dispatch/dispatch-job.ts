import type { DispatchAlertJob } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import { deliverAlert } from "./deliver-alert";
import type { DispatchDeps } from "./dispatch-deps";
import { LockLostError, type Guard } from "./dispatch-lock";

const NOT_LOCKED = Symbol("not locked");
/** How long a dispatch waits for another dispatch of the same alert before it gives up (and is retried). */
const LOCK_WAIT_MS = MINUTE_MS;
/** Pause between two tries of the alert's lock. */
const LOCK_POLL_MS = 100;

/**
 * Delivers an alert's events to Slack: one top-level message per alert, kept up to date with the alert's
 * current state (`chat.update`), and one thread reply per later event.
 *
 * - Serialised per alert: a transaction-scoped advisory lock (released by Postgres even when the worker is
 *   killed) is held for the whole delivery, and checked again right before every post.
 * - In order: a job delivers every undelivered event of its alert, oldest first, so an event that arrives
 *   late (a "fired" after the ack) is never shown as news. A "fired" event never gets a reply: the top-level
 *   message is its notification.
 * - Exactly once, in effect: each delivery's idempotency key is stored (and the attempt counted) before the
 *   Slack call and sent in the message metadata; the top-level message also carries the alert's id. When an
 *   earlier attempt of any of the alert's deliveries may have reached Slack, the alert's message is looked up
 *   by the alert's id (conversations.history) before a top-level post, and a reply by its own key
 *   (conversations.replies) before it is posted again. The Slack client does not retry by itself; this job
 *   does (honouring `ratelimited`'s Retry-After), and the queue retries the job after that.
 */
export function createDispatchJob(deps: DispatchDeps) {
  return async (payload: DispatchAlertJob) => {
    const t0 = Date.now();
    for (;;) {
      const r = await deps.db.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<{ ok: boolean }[]>`
            SELECT pg_try_advisory_xact_lock(hashtext(${`dispatch:${payload.alertId}`})) AS ok`;
          if (!row?.ok) return NOT_LOCKED;
          // Fails if the lock's connection is gone (a Postgres restart): then another dispatch may hold it.
          const guard: Guard = async () => {
            await tx.$queryRaw`SELECT 1`.catch((e: unknown) => {
              throw new LockLostError((e as Error).message);
            });
          };
          return deliverAlert(deps, payload, guard);
        },
        { timeout: 15 * MINUTE_MS, maxWait: 30_000 },
      );
      if (r !== NOT_LOCKED) return r;
      if (Date.now() - t0 > LOCK_WAIT_MS) throw new Error("another dispatch of this alert is still running");
      await new Promise((res) => setTimeout(res, LOCK_POLL_MS));
    }
  };
}

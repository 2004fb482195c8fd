import type { DispatchAlertJob } from "@burnrate/contracts";
import { deliverAlert } from "./deliver-alert";
import type { DispatchDeps } from "./dispatch-deps";
import { withAdvisoryLock } from "./dispatch-lock";

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
  return async (payload: DispatchAlertJob) =>
    withAdvisoryLock(deps.db, `dispatch:${payload.alertId}`, (guard) => deliverAlert(deps, payload, guard));
}

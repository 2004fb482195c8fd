import { Counter, Registry } from "prom-client";

/** The worker's own Prometheus registry (served on the worker's /metrics). */
export const workerRegistry = new Registry();

/** Slack calls of an alert delivery that failed (each failed attempt once), by reason. */
export const slackDeliveryFailures = new Counter({
  name: "burnrate_slack_delivery_failures_total",
  help: "Failed Slack delivery attempts (each is retried unless the reason is permanent), by reason",
  labelNames: ["reason"] as const,
  registers: [workerRegistry],
});

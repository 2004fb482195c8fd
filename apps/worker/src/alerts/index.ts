// What the worker's jobs share about alerts: opening them, recording events, suppressions, the no-data alert and
// the derived priority. The decisions are slo-core's; this is where they are written down.
export { DISPATCHED_EVENT_KINDS } from "./dispatched-event-kinds";
export {
  findSuppression,
  heldBy,
  suppressedDetail,
  type Suppression,
  type SuppressionSources,
} from "./suppression";
export { loadSuppressions } from "./load-suppressions";
export { alertPriority } from "./alert-priority";
export { derivePriority } from "./derive-priority";
export { createAlertOnce, fireAlert, type NewAlert } from "./open-alert";
export { recordEvent } from "./record-event";
export { releaseIfHeld } from "./release-if-held";
export { noDataStep, type NoDataStep } from "./no-data-step";
export { evaluateNoData } from "./evaluate-no-data";

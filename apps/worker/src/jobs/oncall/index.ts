export { createHandoffJob, HANDOFF_LOOKBACK_MS } from "./handoff-job";

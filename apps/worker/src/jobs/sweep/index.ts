export { createDispatchSweepJob } from "./sweep-job";
export { DEFAULT_SWEEP_GRACE_MS, SWEEP_LOOKBACK_MS, sweepWindow } from "./sweep-window";

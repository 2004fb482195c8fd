export { createTickJob, schedulingServicesKey } from "./tick";
export { createEvaluateShardJob } from "./shard-job";
export { DEFAULT_EVAL_LEASE_MS } from "./claims";
export { evaluateSlos } from "./evaluate-slos";
export { DEFAULT_FAST_EVERY_MS, createFastPass } from "./fast-pass";

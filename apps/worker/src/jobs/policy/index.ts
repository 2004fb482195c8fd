export { createPolicyJob } from "./policy-job";
export type { PolicyDeps } from "./policy-deps";

export { createDispatchJob } from "./dispatch-job";
export type { DispatchDeps } from "./dispatch-deps";

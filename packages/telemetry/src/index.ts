export * from "./process-metrics";

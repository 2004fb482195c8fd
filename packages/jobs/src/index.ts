export * from "./queues";
export * from "./catalog";
export * from "./enqueue";
export * from "./job-queues";

export { createReceiverDeliverJob, triggerWaitPauseMs, type ReceiverDeps } from "./deliver";
export { createReceiverSweepJob } from "./sweep";
export { createWebhookEventDeliverJob } from "./deliver-event";

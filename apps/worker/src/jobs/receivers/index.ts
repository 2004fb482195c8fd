export { createReceiverDeliverJob, type ReceiverDeps } from "./deliver";
export { createReceiverSweepJob } from "./sweep";

export { createSlaNoticeJob, slaNoticeKey, type SlaNoticeDeps } from "./sla-notices";

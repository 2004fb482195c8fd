export { createEscalateJob } from "./escalate-job";
export { createEscalationSweepJob } from "./escalation-sweep";
export { startEscalations, enqueueNotice, ESCALATION_START_LOOKBACK_MS } from "./start-escalations";
export { createSmtpMailer, type Mailer, type Email } from "./mailer";
export type { EscalationDeps } from "./escalation-deps";

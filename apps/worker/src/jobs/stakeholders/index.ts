export { createStakeholderJob, renderBracketMessage } from "./stakeholder-job";

export {
  renderAlertMessage,
  renderEventReply,
  alertTitle,
  slackDate,
  type AlertMessageInput,
} from "./render-alert";
export { escapeMrkdwn, mrkdwnLink, fitMrkdwn, fitPlain, SLACK_LIMITS, ELLIPSIS } from "./mrkdwn";
export { verifySlackSignature, SLACK_MAX_SKEW_MS } from "./verify-signature";
export {
  createSlackSender,
  slackErrorCode,
  slackRetryAfterSec,
  slackFailureReason,
  retrySlack,
  PERMANENT_SLACK_ERRORS,
  METADATA_EVENT_TYPE,
  type SlackSender,
  type MessageKeys,
} from "./sender";
export {
  renderHandoffNotice,
  renderOncallAnswer,
  type HandoffNoticeInput,
  type OncallAnswerInput,
} from "./render-oncall";
export {
  incidentChannelName,
  suffixedChannelName,
  channelSlug,
  renderIncidentSummary,
  parseStatusMessage,
  CHANNEL_NAME_MAX,
  type IncidentSummaryInput,
} from "./render-incident";

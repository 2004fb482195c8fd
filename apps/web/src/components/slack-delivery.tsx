import type { AlertResponse } from "@burnrate/contracts";

/** Whether an alert reached Slack: the error, "posted", or a dash when nothing was sent. */
export function SlackDelivery({ slack }: { slack: AlertResponse["slack"] }) {
  if (slack.error) return <span className="error">{slack.error}</span>;
  return slack.ts ? "posted" : "–";
}

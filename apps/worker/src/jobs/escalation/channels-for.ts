import type { NotificationChannel } from "@burnrate/contracts";

/** A person's rule: a channel and the severities it is used for. */
export interface ChannelRule {
  channel: string;
  severities: string[];
}

/**
 * The channels that reach a person for an alert of `severity`: their rules' channels for that severity, or
 * every channel when they set none; only the channels this installation can use (Slack configured, SMTP set).
 */
export function channelsFor(
  rules: readonly ChannelRule[],
  severity: string,
  available: ReadonlySet<NotificationChannel>,
): NotificationChannel[] {
  const wanted: NotificationChannel[] =
    rules.length === 0
      ? ["slack_dm", "email"]
      : rules.filter((r) => r.severities.includes(severity)).map((r) => r.channel as NotificationChannel);
  return [...new Set(wanted)].filter((c) => available.has(c)).sort();
}

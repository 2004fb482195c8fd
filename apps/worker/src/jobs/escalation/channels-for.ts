import type { NotificationChannel } from "@burnrate/contracts";
import { isActiveAt, parseClock, type WeeklyWindow } from "@burnrate/slo-core";

/** When a rule applies: weekly windows ("HH:MM" wall times) in a time zone. */
export interface RuleHours {
  windows: { days: WeeklyWindow["days"]; from: string; to: string }[];
  timeZone: string;
}

/** A person's rule: a channel, the severities it is used for, and when (null or absent = always). */
export interface ChannelRule {
  channel: string;
  severities: string[];
  hours?: RuleHours | null;
}

function appliesAt(rule: ChannelRule, atMs: number): boolean {
  if (!rule.hours) return true;
  const windows = rule.hours.windows.map((w) => ({
    days: w.days,
    fromMinute: parseClock(w.from) ?? 0,
    toMinute: parseClock(w.to) ?? 0,
  }));
  return isActiveAt(windows, rule.hours.timeZone, atMs);
}

/**
 * The channels that reach a person for an alert of `severity` at the instant `atMs` (the step's due time):
 * their rules' channels for that severity whose hours hold that instant, or every channel when they set no
 * rules; only the channels this installation can use (Slack configured, SMTP set). Hours use the schedules'
 * window arithmetic, so a DST night reads the same way as a rotation's active hours.
 */
export function channelsFor(
  rules: readonly ChannelRule[],
  severity: string,
  available: ReadonlySet<NotificationChannel>,
  atMs: number,
): NotificationChannel[] {
  const wanted: NotificationChannel[] =
    rules.length === 0
      ? ["slack_dm", "email"]
      : rules
          .filter((r) => r.severities.includes(severity) && appliesAt(r, atMs))
          .map((r) => r.channel as NotificationChannel);
  return [...new Set(wanted)].filter((c) => available.has(c)).sort();
}

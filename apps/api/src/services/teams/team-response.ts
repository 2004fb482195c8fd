import type { TeamResponse } from "@burnrate/contracts";

type TeamRow = { id: string; slug: string; name: string; slackChannel: string | null; createdAt: Date };

export const toTeamResponse = (t: TeamRow): TeamResponse => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  slackChannel: t.slackChannel,
  createdAt: t.createdAt.toISOString(),
});

/** Slack channels are stored with their `#`, whether or not it was typed. */
export function normaliseChannel(c: string): string {
  return c.startsWith("#") ? c : `#${c}`;
}

/** The words of the service forms' fields. */
export const SERVICE_LABELS = {
  slug: "Slug",
  name: "Name",
  team: "Team",
  runbookUrl: "Runbook",
  failureStatuses: "Failure statuses",
  "failureStatuses.*": "Failure status",
  tier: "Tier",
  description: "Description",
};

/** "500-599, 429" → ["500-599", 429]: a code as a number, a range as its text (the contract's StatusSpec). */
export function statusList(text: string): (string | number)[] {
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

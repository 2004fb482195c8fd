/** Events that the evaluator or the API hands to Slack (one dispatch each). */
export const DISPATCHED_EVENT_KINDS = [
  "fired",
  "refired",
  "escalated",
  "deescalated",
  "resolved",
  "acknowledged",
  "snoozed",
  "released",
] as const;

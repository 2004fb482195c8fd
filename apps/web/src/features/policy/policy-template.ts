import { DAY_MS } from "@burnrate/slo-core";

/** A policy is reviewed at least this often (or at the first P1 outage). */
const REVIEW_INTERVAL_MS = 90 * DAY_MS;

/** The book's starting point (ch.10), for a team that has no policy yet; its review is due in 90 days. */
export function policyTemplate(nowMs: number) {
  return {
    scope: "All production services of the team and their SLOs in every production region",
    purpose: "Decide between reliability work and feature work with the error budget, agreed in advance",
    conditions: [
      {
        id: "consumed-70",
        type: "consumed",
        percent: 70,
        consequences: [{ type: "release_freeze", regions: [] }],
      },
      { id: "fast-burn", type: "burned_within", percent: 30, hours: 24, consequences: [{ type: "notify" }] },
      {
        id: "slow-burn",
        type: "burned_within",
        percent: 50,
        hours: 168,
        consequences: [{ type: "work_item", text: "Plan reliability work in the next sprint" }],
      },
      {
        id: "exhausted",
        type: "exhausted",
        consequences: [
          { type: "release_freeze", regions: [] },
          { type: "manual", text: "Only fixes and reliability work until the budget recovers" },
        ],
      },
    ],
    escalation: "When the team cannot agree, the head of engineering decides within two working days",
    nextReviewAt: new Date(nowMs + REVIEW_INTERVAL_MS).toISOString().slice(0, 10),
  };
}

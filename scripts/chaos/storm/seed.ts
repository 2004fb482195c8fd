/** The storm's team, with its Slack channel, and its services with an availability SLO each. */
import type { StormApi } from "./api-client.ts";

const CHANNEL = "#storm-slo-breaches";

/** The team and `n` services `storm-<i>`, each with one SLO on `GET /cart`. */
export async function createServices(must: StormApi["must"], n: number) {
  await must("POST", "/api/v1/teams", { slug: "storm", name: "Storm", slackChannel: CHANNEL });
  for (let i = 0; i < n; i++) {
    await must("POST", "/api/v1/services", { slug: `storm-${i}`, name: `Storm ${i}`, team: "storm" });
    await must("POST", "/api/v1/slos", {
      service: `storm-${i}`,
      name: `storm-${i} availability`,
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
      alerting: {
        tiers: [
          // A 30-minute short window keeps the storm's errors in view for the whole run (alerts do not
          // resolve by themselves while the slow part of the storm goes on); a burst of good requests
          // resolves them.
          { name: "ticket", severity: "ticket", longWindowMinutes: 60, shortWindowMinutes: 30, factor: 2 },
        ],
      },
    });
  }
}

/**
 * The stack the browser tests run against: a fresh database, the API serving the built UI, the worker
 * evaluating every second, and a fake Slack. It seeds a team, a service and an SLO, ingests three hours of
 * traffic that end in a fast burn, waits for the page to reach Slack, and writes what the tests need to
 * tests/e2e/.state.json. Started by Playwright's webServer; stops on SIGTERM.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { call, ndjson, startStack, waitFor } from "../../apps/api/test/harness";

const PORT = Number(process.env.E2E_PORT ?? 4318);
const root = path.resolve(import.meta.dirname, "../..");
const stack = await startStack({
  worker: true,
  evalEveryMs: 1000,
  port: PORT,
  webDist: path.join(root, "apps/web/dist"),
});
const channel = "#team-payments-slo-breaches";
await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments", slackChannel: channel });
await call(stack, "POST", "/api/v1/services", {
  slug: "checkout",
  name: "Checkout",
  team: "payments",
  runbookUrl: "https://runbooks.example.com/checkout",
});
const slo = await call(stack, "POST", "/api/v1/slos", {
  service: "checkout",
  name: "Cart availability",
  endpoint: "GET /cart",
  sli: { type: "availability" },
  objectivePercent: 99.9,
  window: { type: "rolling", days: 28 },
  priority: "P2",
});
await call(stack, "POST", "/api/v1/slos", {
  service: "checkout",
  name: "Checkout latency",
  endpoint: "POST /checkout",
  sli: { type: "latency", thresholdMs: 300 },
  objectivePercent: 95,
});
const now = Date.now();
const recs: object[] = [];
for (let m = 180; m > 0; m--) {
  const t = now - m * 60_000;
  const burst = m <= 12; // the last 12 minutes: 10% of cart requests fail
  for (let i = 0; i < 40; i++) {
    for (const region of ["prod-eu", "prod-us"]) {
      const bad = region === "prod-eu" && burst && i % 10 === 0;
      recs.push({
        ts: t + i * 1400,
        service: "checkout",
        method: "GET",
        route: "/cart",
        region,
        status: bad ? 503 : 200,
        durationMs: 30 + (i % 7) * 9,
      });
      if (i % 4 === 0)
        recs.push({
          ts: t + i * 1400,
          service: "checkout",
          method: "POST",
          route: "/checkout",
          region,
          status: 200,
          durationMs: 120 + ((i * 37) % 170),
        });
    }
  }
}
await call(stack, "POST", "/api/v1/deployments", {
  service: "checkout",
  region: "prod-eu",
  version: "v1.42.0",
  at: now - 13 * 60_000,
});
await call(stack, "POST", "/api/v1/deployments", {
  service: "checkout",
  version: "v1.41.3",
  at: now - 150 * 60_000,
});
const res = await stack.app.inject({
  method: "POST",
  url: "/api/v1/ingest/requests",
  headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
  payload: ndjson(recs),
});
const ingested = JSON.parse(res.body) as { accepted: number; rejected: number };
await waitFor("the first Slack page", async () => stack.slack.topLevel(channel).length > 0, 90_000);
writeFileSync(
  path.join(root, "tests/e2e/.state.json"),
  JSON.stringify(
    {
      baseUrl: stack.baseUrl,
      sloId: slo.body!.id,
      admin: stack.admin,
      slackUrl: stack.slack.url,
      channel,
      ingested,
    },
    null,
    2,
  ),
);
console.log(`e2e stack ready at ${stack.baseUrl} (${ingested.accepted} records)`);
const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

/**
 * The stacks the browser tests run against, each a fresh database with the API serving the built UI:
 * - live (E2E_PORT, 4318): the worker evaluating every second and a fake Slack. It seeds two teams, ingests three
 *   hours of traffic where GET /cart ends in a fast burn (plus the simulator's search traffic), and waits for the
 *   page to reach Slack. Single sign-on goes to a local OpenID Connect provider (oidc-provider, on a free port);
 * - history (4319, no worker): six months of SLI history and the book's depletion example (seed-history.ts), for
 *   the product-owner and manager pages;
 * - load (4320, no worker): 1,000 SLO × region (scripts/bench/overview.bench.ts) for the overview's render time.
 * It writes what the tests need to tests/e2e/.state.json (the tests wait for it). Stops on SIGTERM.
 */
import { spawn } from "node:child_process";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { call, ndjson, startStack, waitFor } from "../../apps/api/test/harness";
import { startLocalProvider } from "../../apps/api/test/oidc-provider";
import { DEMO_CATALOG, generate } from "../../scripts/lib/traffic";
import { historyNow, seedHistory } from "./seed-history";
import { seedSlas } from "./seed-sla";

const PORT = Number(process.env.E2E_PORT ?? 4318);
const root = path.resolve(import.meta.dirname, "../..");
const statePath = path.join(root, "tests/e2e/.state.json");
rmSync(statePath, { force: true });
const webDist = path.join(root, "apps/web/dist");
/** The people of the local provider: group payments-editors makes editors of team payments. */
const ssoAccounts = [
  { email: "sam.sso@example.com", name: "Sam SSO", groups: ["payments-editors", "staff"] },
];
const idp = await startLocalProvider({
  redirectUris: [`http://127.0.0.1:${PORT}/api/v1/auth/oidc/callback`],
  accounts: ssoAccounts,
});
const stack = await startStack({
  worker: true,
  evalEveryMs: 1000,
  port: PORT,
  webDist,
  apiEnv: {
    SLACK_BOT_TOKEN: "xoxb-e2e",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_PROVIDER_NAME: "Local IdP",
    OIDC_GROUP_ROLES: "payments-editors=payments:editor,payments-viewers=payments:viewer",
  },
});
// The history stack runs on a fixed hour of day (seed-history.ts), its API and the browser alike (page.clock).
const historyNowMs = historyNow();
const history = await startStack({ port: PORT + 1, webDist, now: () => historyNowMs });
const loadProc = spawn(
  process.execPath,
  ["--import", "tsx", path.join(import.meta.dirname, "load-server.ts"), String(PORT + 2)],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const loadReady = new Promise<{ baseUrl: string; admin: object; token: string }>((resolve, reject) => {
  createInterface({ input: loadProc.stdout! }).on("line", (line) => {
    if (line.startsWith('{"ready"'))
      resolve((JSON.parse(line) as { ready: { baseUrl: string; admin: object; token: string } }).ready);
  });
  loadProc.on("exit", (code) => reject(new Error(`load server exited with ${code}`)));
});
const seededElsewhere = Promise.all([
  seedHistory(history, historyNowMs).then(async (h) => (await seedSlas(history, historyNowMs), h)),
  loadReady,
]);
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
// The team's error budget policy, signed by all three roles: a consumed budget freezes prod-eu.
await call(stack, "PUT", "/api/v1/teams/payments/policy", {
  scope: "Checkout and payments in every production region",
  purpose: "Balance reliability work and feature work with the error budget",
  conditions: [
    {
      id: "consumed-70",
      type: "consumed",
      percent: 70,
      consequences: [{ type: "release_freeze", regions: ["prod-eu"] }],
    },
    {
      id: "postmortem",
      type: "manual",
      text: "An outage needs a postmortem",
      consequences: [{ type: "manual", text: "Write it within 5 days" }],
    },
  ],
  escalation: "The head of engineering decides within two working days",
  agreedBy: [
    { name: "Dana Dev", role: "developer", date: "2026-11-01" },
    { name: "Omar Ops", role: "operations", date: "2026-11-02" },
    { name: "Paula PO", role: "product_owner", date: "2026-11-03" },
  ],
  nextReviewAt: "2027-02-01",
  reason: "agreed in the November review",
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
// A second team with the simulator's search service (its catalog, two days of its traffic model).
const search = DEMO_CATALOG.services.find((x) => x.slug === "search")!;
await call(stack, "POST", "/api/v1/teams", {
  slug: "discovery",
  name: "Discovery",
  slackChannel: "#team-discovery-slo-breaches",
});
await call(stack, "POST", "/api/v1/services", {
  slug: search.slug,
  name: search.name,
  team: "discovery",
  description: search.description,
  runbookUrl: search.runbookUrl,
});
for (const spec of DEMO_CATALOG.slos.filter((x) => x.service === "search"))
  await call(stack, "POST", "/api/v1/slos", spec);
recs.push(
  ...generate(now - 2 * 86_400_000, now, {
    catalog: { ...DEMO_CATALOG, teams: [], services: [search], slos: [] },
    scale: 0.15,
    seed: "e2e",
  }),
);
let ingested = { accepted: 0, rejected: 0 };
for (let i = 0; i < recs.length; i += 20_000) {
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/ingest/requests",
    headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
    payload: ndjson(recs.slice(i, i + 20_000)),
  });
  const r = JSON.parse(res.body) as { accepted: number; rejected: number };
  ingested = { accepted: ingested.accepted + r.accepted, rejected: ingested.rejected + r.rejected };
}
await call(stack, "POST", "/api/v1/silences", {
  team: "discovery",
  endsAt: now + 4 * 3600_000,
  reason: "search index migration tonight",
});
await waitFor("the first Slack page", async () => stack.slack.topLevel(channel).length > 0, 90_000);
const [hist, load] = await seededElsewhere;
writeFileSync(
  `${statePath}.tmp`,
  JSON.stringify(
    {
      baseUrl: stack.baseUrl,
      sloId: slo.body!.id,
      admin: stack.admin,
      token: stack.token,
      slackUrl: stack.slack.url,
      channel,
      ingested,
      history: {
        baseUrl: history.baseUrl,
        admin: history.admin,
        token: history.token,
        nowMs: historyNowMs,
        ...hist,
      },
      load,
      sso: { issuer: idp.issuer, accounts: ssoAccounts },
    },
    null,
    2,
  ),
);
// Renamed into place whole: the tests poll for the file and must never read it half written.
renameSync(`${statePath}.tmp`, statePath);
console.log(`e2e stack ready at ${stack.baseUrl} (${ingested.accepted} records)`);
const stop = async () => {
  const loadExit = new Promise((r) => loadProc.once("exit", r));
  loadProc.kill("SIGTERM");
  await Promise.all([stack.stop(), history.stop(), loadExit, idp.close()]);
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

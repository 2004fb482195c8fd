/**
 * The load stack of the browser tests in a process of its own (so the live stack's worker does not share its
 * event loop): 1,000 SLO × region from scripts/bench/overview.bench.ts, the API serving the built UI on the port
 * given. Prints one JSON line `{"ready": …}` when seeded; stops on SIGTERM.
 */
import path from "node:path";
import { startStack } from "../../apps/api/test/harness";
import { seedOverviewLoad } from "../../scripts/bench/overview.bench";

const port = Number(process.argv[2]);
const stack = await startStack({ port, webDist: path.resolve(import.meta.dirname, "../../apps/web/dist") });
await seedOverviewLoad(stack);
console.log(JSON.stringify({ ready: { baseUrl: stack.baseUrl, admin: stack.admin, token: stack.token } }));
const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

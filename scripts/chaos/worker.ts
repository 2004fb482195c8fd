/**
 * Worker faults, with figures (`pnpm chaos --only=worker`):
 *  - storm: 100 SLOs, 50 firing, then the run's own Redis SIGKILLed and restarted empty, and the other 50 start
 *    failing as it returns: how many cycles until evaluation resumes and until those 50 fire (target <= 2,
 *    without touching the worker), and the API's and the worker's /readyz while Redis is down (503 in < 1 s).
 *  - stall: the evaluation stops (the queue is paused, so no tick and no shard runs while the worker lives): the
 *    time until the ops channel hears of it (target < 4 min with the default 3-minute threshold; --quick uses a
 *    20 s threshold and says so), the lag shown in /metrics, and the recovery message.
 *  - Postgres restart: the run's own embedded PostgreSQL killed (immediate shutdown) and restarted: the worker's
 *    /readyz (503 in under 1 s), cycles until evaluation resumes (<= 2), and the worker process still alive.
 * The worker is a child process (`apps/worker/src/main.ts`) on the run's own redis-server; the API runs in
 * process (startStack) on the same Redis; Postgres is a fresh database of the machine's server, except in the
 * Postgres scenario (a server of the run's own).
 * Each scenario is a file of worker/, beside the worker child process and the data they share.
 */
import type { ChaosScenario } from "./lib.ts";
import { postgresRestart } from "./worker/postgres-restart.ts";
import { stall } from "./worker/stall.ts";
import { storm } from "./worker/storm.ts";

export const scenarios: ChaosScenario[] = [
  { name: "worker: storm + Redis restart", run: storm },
  { name: "worker: evaluation stall", run: stall },
  { name: "worker: Postgres restart", run: postgresRestart },
];

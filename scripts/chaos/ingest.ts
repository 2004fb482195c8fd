/**
 * Ingest under faults (`pnpm chaos --only=ingest`). The API runs as a child process (scripts/bench/harness.ts)
 * on a fresh database of the machine's Postgres, so its RSS is its own:
 *  - overload: the sustainable rate measured first (4 senders, closed loop), then 5× that rate open-loop for
 *    60 s (quick: 15 s): statuses (only 2xx and 429/503 with Retry-After), p99 of accepted requests, API RSS
 *    peak and 60 s after, GET /api/v1/slos latency throughout;
 *  - concurrency: 64 batches at once over the same rows and new endpoints: deadlocks (pg_stat_database) and
 *    stored vs acknowledged records;
 *  - cardinality: a burst of 10,000 new endpoints into a service with default SLOs: refused beyond the cap,
 *    line by line; the evaluation cycle before and after.
 * Each scenario is a file of ingest/, beside the HTTP client they share (ingest/send.ts).
 */
import { cardinality } from "./ingest/cardinality.ts";
import { concurrent } from "./ingest/concurrent.ts";
import { overloadScenario } from "./ingest/overload.ts";
import type { ChaosScenario } from "./lib.ts";

export const scenarios: ChaosScenario[] = [
  concurrent,
  cardinality,
  overloadScenario("ingest overload 5x (clients with Expect: 100-continue)", true),
  overloadScenario("ingest overload 5x (plain clients)", false),
];

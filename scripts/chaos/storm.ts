/**
 * Alert storm against a faulty Slack: N SLOs fire at once, about half are acknowledged and most resolve, while
 * the workers are SIGKILLed at random moments (half of the kills 0–30 ms after Slack stored a post, the other
 * half at random times), Redis is killed and restarted once and Postgres once. The fake Slack fails 3% of calls
 * with HTTP 500, 3% with `ratelimited` (429 + Retry-After: 1), and loses 30% of the answers to posts and updates
 * after storing the message. Counted on the fake Slack's store against the database at the end.
 *
 * Everything runs on loopback: a redis-server and a PostgreSQL of the run's own (lib.ts), the API and two
 * workers as child processes, the fake Slack in this process.
 * The course of the run is storm/run.ts; each of its parts (the stack, the API client, the traffic, the
 * kills, the drain, the count) is a file of storm/.
 */
import type { ChaosScenario } from "./lib.ts";
import { run, SCENARIO } from "./storm/run.ts";

export const scenarios: ChaosScenario[] = [{ name: SCENARIO, run }];

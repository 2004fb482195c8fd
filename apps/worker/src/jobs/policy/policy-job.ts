import { MINUTE_MS } from "@burnrate/slo-core";
import { evaluatePolicies } from "./evaluate-policies";
import type { PolicyDeps } from "./policy-deps";

/** Advisory lock id of the policy evaluation (any constant unique in this database). */
const POLICY_LOCK_ID = 727_276;

/**
 * Every cycle: for each policy in force, evaluate its automatic conditions for every SLO × region of the
 * team (slo-core), open an enactment when a condition becomes true (and carry out its consequences), close it
 * when the condition stops being true. Also sends the review reminders (at the review date, or at the first
 * P1 alert, whichever comes first).
 */
export function createPolicyJob(deps: PolicyDeps) {
  const run = evaluatePolicies(deps);
  // Single flight across workers: two runs at once would both open the same enactment and notify twice.
  // A transaction-scoped advisory lock is released by Postgres if the worker dies.
  return () =>
    deps.db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
          `SELECT pg_try_advisory_xact_lock(${POLICY_LOCK_ID}) AS locked`,
        );
        if (!row?.locked) return { skipped: "another policy evaluation is running" };
        return run();
      },
      { timeout: 10 * MINUTE_MS, maxWait: 10_000 },
    );
}

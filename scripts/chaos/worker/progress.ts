/** How far the worker got, read from the database: the last complete evaluation cycle, the open alerts. */
import type { Stack } from "../../../apps/api/test/harness.ts";

/** The last cycle whose every shard ran. */
export async function lastCycle(stack: Stack) {
  const [r] = await stack.db.$queryRawUnsafe<{ minute: Date; done: Date }[]>(
    `SELECT minute, max(at) AS done FROM evaluation_runs GROUP BY minute
      HAVING count(DISTINCT shard) >= max(shards) ORDER BY minute DESC LIMIT 1`,
  );
  return r ?? null;
}

/** Open alerts of the SLOs on one endpoint. */
export async function firingOn(stack: Stack, endpoint: string) {
  const [r] = await stack.db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM alerts a JOIN slos s ON s.id = a.slo_id JOIN endpoints e ON e.id = s.endpoint_id
      WHERE a.state IN ('firing', 'acknowledged') AND e.method || ' ' || e.route = $1`,
    endpoint,
  );
  return r!.n;
}

/**
 * 64 ingest batches at once over the same rows and new endpoints (`pnpm chaos --only=ingest`): deadlocks
 * (pg_stat_database) and stored vs acknowledged records.
 */
import { sqlRows } from "../../../packages/db/src/index.ts";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { api, startApi, type Env } from "../../bench/harness.ts";
import { fmt, sleep, type ChaosScenario } from "../lib.ts";
import { send } from "./send.ts";

async function statDeadlocks(env: Env): Promise<number> {
  await sqlRows(env.db, `SELECT pg_stat_clear_snapshot()::text AS x`);
  const [r] = await sqlRows<{ n: number }>(
    env.db,
    `SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return r!.n;
}

export const concurrent: ChaosScenario = {
  name: "ingest 64 concurrent batches",
  async run() {
    const S = this.name;
    const env = await startApi([], {
      // All 64 admitted at once (the defaults would shed some with 429, which is not what this measures).
      BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: "128",
      BURNRATE_INGEST_MAX_INFLIGHT_MB: "1024",
      BURNRATE_INGEST_QUEUE_WAIT_MS: String(2 * MINUTE_MS),
    });
    try {
      await api(env, "POST", "/api/v1/teams", { slug: "ops", name: "Ops" });
      const shops = Array.from({ length: 12 }, (_, i) => `shop-${i}`);
      for (const slug of shops) await api(env, "POST", "/api/v1/services", { slug, name: slug, team: "ops" });
      const now = Date.now();
      const regions = ["prod-eu", "prod-us", "staging"];
      // Each batch: 8,000 lines of 12 services (in an order of its own) over 100 routes each (shared with the
      // others, most new), 3 regions, 5 minutes.
      const batches = Array.from({ length: 64 }, (_, b) => {
        let s = "";
        for (let i = 0; i < 8000; i++) {
          const ep = (i * 31 + b * 17) % 100;
          s += `${JSON.stringify({
            ts: now - (1 + ((i + b) % 5)) * MINUTE_MS,
            service: shops[(i * 5 + b * 7) % shops.length],
            method: "GET",
            route: `/r/${ep}`,
            region: regions[(i + b) % 3],
            status: i % 11 === 0 ? 500 : 200,
            durationMs: i % 300,
          })}\n`;
        }
        return Buffer.from(s);
      });
      const before = await statDeadlocks(env);
      const answers = await Promise.all(batches.map((b) => send(env, "POST", "/api/v1/ingest/requests", b)));
      const acknowledged = answers
        .filter((a) => a.status === 200)
        .reduce((n, a) => n + (JSON.parse(a.body) as { accepted: number }).accepted, 0);
      await sleep(1.5 * SECOND_MS);
      const dl = (await statDeadlocks(env)) - before;
      const [st] = await sqlRows<{ n: number }>(
        env.db,
        `SELECT coalesce(sum(count), 0)::int AS n FROM request_rollups`,
      );
      const statuses = [...new Set(answers.map((a) => a.status))].join(", ");
      return [
        { scenario: S, check: "answers", value: statuses, target: "200", ok: statuses === "200" },
        { scenario: S, check: "deadlocks (pg_stat_database)", value: String(dl), target: "0", ok: dl === 0 },
        {
          scenario: S,
          check: "stored vs acknowledged records",
          value: `${fmt(st!.n)} vs ${fmt(acknowledged)}`,
          target: "equal (64 × 8,000)",
          ok: st!.n === acknowledged && acknowledged === 64 * 8000,
        },
      ];
    } finally {
      await env.stop();
    }
  },
};

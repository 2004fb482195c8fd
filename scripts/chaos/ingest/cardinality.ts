/**
 * A burst of 10,000 new endpoints into a service with default SLOs (`pnpm chaos --only=ingest`): refused beyond
 * the cap, line by line; the evaluation cycle before and after.
 */
import { performance } from "node:perf_hooks";
import { sqlRows } from "../../../packages/db/src/index.ts";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { runEvalCycle, seedEvaluation } from "../../bench/evaluation.ts";
import { api, startApi } from "../../bench/harness.ts";
import { fmt, median, sleep, type ChaosScenario } from "../lib.ts";
import { send } from "./send.ts";

export const cardinality: ChaosScenario = {
  name: "ingest burst of 10,000 new endpoints",
  async run(ctx) {
    const S = this.name;
    const env = await startApi();
    try {
      // The benchmark's 10,000 SLO × region; the burst may add at most cap × 2 defaults × 1 region.
      const pairs = 10_000;
      const historyDays = ctx.quick ? 1 : 2;
      ctx.log(`seeding ${pairs} SLO × region with ${historyDays} days of history…`);
      await seedEvaluation(env, pairs, { historyDays });
      const cycle = async () => {
        const [c] = await sqlRows<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM slos`);
        const runs: number[] = [];
        for (let i = 0; i < 3; i++)
          runs.push((await runEvalCycle(env, { slos: c!.n, shardSize: 500, concurrency: 4 })).ms);
        return { ms: median(runs), slos: c!.n };
      };
      const before = await cycle();
      ctx.log(`cycle before: ${fmt(before.ms)} ms for ${before.slos} SLOs`);

      await api(env, "POST", "/api/v1/teams", { slug: "burst", name: "Burst" });
      await api(env, "POST", "/api/v1/services", { slug: "burst", name: "Burst", team: "burst" });
      await api(env, "PUT", "/api/v1/services/burst/default-slos", {
        availability: { objectivePercent: 99 },
        latency: { objectivePercent: 95, thresholdMs: 300 },
        reason: "defaults for every endpoint",
      });
      const now = Date.now();
      let body = "";
      for (let i = 0; i < 10_000; i++)
        body += `${JSON.stringify({ ts: now - MINUTE_MS, service: "burst", method: "GET", route: `/burst/${i}`, region: "prod-eu", status: 200, durationMs: 5 })}\n`;
      const t0 = performance.now();
      const a = await send(env, "POST", "/api/v1/ingest/requests", Buffer.from(body));
      const burstMs = performance.now() - t0;
      const res = JSON.parse(a.body) as {
        accepted: number;
        rejected: number;
        errors: { line: number; field?: string; message: string }[];
      };
      const lineByLine =
        res.errors.length === res.rejected &&
        res.errors.every((e, i) => e.line === res.accepted + i + 1 && e.field === "route");
      // The default SLOs of the accepted endpoints are created in the background: wait until they stop growing.
      let slos = -1;
      for (let i = 0; i < 120; i++) {
        const [c] = await sqlRows<{ n: number }>(
          env.db,
          `SELECT count(*)::int AS n FROM slos x JOIN services s ON s.id = x.service_id WHERE s.slug = 'burst'`,
        );
        if (c!.n === slos) break;
        slos = c!.n;
        await sleep(SECOND_MS);
      }
      const after = await cycle();
      ctx.log(`cycle after: ${fmt(after.ms)} ms for ${after.slos} SLOs`);
      const ratio = after.ms / before.ms;
      return [
        {
          scenario: S,
          check: "10,000 new endpoints in one batch: accepted / refused",
          value: `${fmt(res.accepted)} / ${fmt(res.rejected)} (status ${a.status}, ${fmt(burstMs)} ms)`,
          target: "500 / 9,500 (the default cap)",
          ok: a.status === 200 && res.accepted === 500 && res.rejected === 9500,
        },
        {
          scenario: S,
          check: "refused line by line, naming the field",
          value: lineByLine ? `lines 501-10,000, field 'route'` : JSON.stringify(res.errors.slice(0, 2)),
          target: "each line named",
          ok: lineByLine,
        },
        {
          scenario: S,
          check: "default SLOs created by the burst",
          value: fmt(slos),
          target: "≤ 1,000 (cap × 2 defaults)",
          ok: slos <= 1000,
        },
        {
          scenario: S,
          check: "evaluation cycle before → after (median of 3)",
          value: `${fmt(before.ms)} ms (${fmt(before.slos)} SLOs) → ${fmt(after.ms)} ms (${fmt(after.slos)} SLOs), ×${fmt(ratio, 2)}`,
          target: "within ±20%",
          ok: ratio >= 0.8 && ratio <= 1.2,
        },
      ];
    } finally {
      await env.stop();
    }
  },
};

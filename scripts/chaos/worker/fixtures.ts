/** The worker scenarios' data: a team, a service, SLOS SLOs over two endpoints, and an hour of traffic. */
import { call, ndjson, type Stack } from "../../../apps/api/test/harness.ts";
import { HOUR_MS } from "../../../packages/slo-core/src/time-units.ts";

export const SLOS = 100;

/** Half errors (`bad`) or none over the last hour of one endpoint. */
export async function ingestHour(stack: Stack, endpoint: string, bad: boolean) {
  const now = Date.now();
  for (let part = 0; part < 4; part++) {
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(
        Array.from({ length: 1500 }, (_, i) => ({
          ts: now - HOUR_MS + (part * 1500 + i) * 600,
          service: "storm-api",
          endpoint,
          region: "prod-eu",
          status: bad && i % 2 ? 503 : 200,
          durationMs: 30,
        })),
      ),
    });
    if (res.statusCode !== 200) throw new Error(`ingest: ${res.statusCode} ${res.body}`);
  }
}

/**
 * A team with a channel, a service, and SLOS SLOs: half on `GET /cart`, whose last hour is half errors (they
 * fire at once), half on `GET /pay`, healthy until `ingestHour(stack, "GET /pay", true)`.
 */
export async function stormData(stack: Stack, channel: string) {
  await call(stack, "POST", "/api/v1/teams", { slug: "storm", name: "Storm", slackChannel: channel });
  await call(stack, "POST", "/api/v1/services", { slug: "storm-api", name: "Storm API", team: "storm" });
  await ingestHour(stack, "GET /cart", true);
  await ingestHour(stack, "GET /pay", false);
  for (const endpoint of ["GET /cart", "GET /pay"]) {
    const first = await call(stack, "POST", "/api/v1/slos", {
      service: "storm-api",
      name: `Storm ${endpoint}`,
      endpoint,
      sli: { type: "availability" },
      objectivePercent: 99.9,
    });
    if (first.status !== 201) throw new Error(`slo: ${first.status} ${JSON.stringify(first.body)}`);
    await stack.db.$executeRawUnsafe(
      `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", budgeting_method,
                         version, backfill_percent, kind, created_at, updated_at)
       SELECT gen_random_uuid(), service_id, endpoint_id, name || ' #' || g, sli, objective_percent, "window",
              budgeting_method, version, 100, kind, now(), now()
         FROM slos, generate_series(2, $1) AS g WHERE id = $2::uuid`,
      SLOS / 2,
      first.body!.id,
    );
  }
}

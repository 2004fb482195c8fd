/** The storm's traffic: requests of its services, sent to the API ten services a batch. */
import type { StormApi } from "./api-client.ts";

/** `n` requests of each service in `services`, spread over [fromMs, toMs); every `badEvery`-th a 503 (0: none). */
export async function ingest(
  api: StormApi["api"],
  services: number[],
  fromMs: number,
  toMs: number,
  n: number,
  badEvery: number,
) {
  for (let k = 0; k < services.length; k += 10) {
    const lines: string[] = [];
    for (const i of services.slice(k, k + 10))
      for (let j = 0; j < n; j++)
        lines.push(
          JSON.stringify({
            ts: Math.floor(fromMs + ((toMs - fromMs) * j) / n),
            service: `storm-${i}`,
            endpoint: "GET /cart",
            region: "prod-eu",
            status: badEvery > 0 && j % badEvery === 0 ? 503 : 200,
            durationMs: 40,
          }),
        );
    const r = await api("POST", "/api/v1/ingest/requests", lines.join("\n") + "\n", "application/x-ndjson");
    if (r.status !== 200) throw new Error(`ingest: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  }
}

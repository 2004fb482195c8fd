/** The API's own latency histogram of accepted ingest requests, read from its /metrics. */
import type { Env } from "../../bench/harness.ts";
import { send } from "./send.ts";

/** The API's own histogram of accepted ingest requests (onRequest to answer): cumulative count per bucket. */
export async function serverBuckets(env: Env): Promise<Map<number, number>> {
  const text = (await send(env, "GET", "/metrics")).body;
  const out = new Map<number, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("burnrate_http_request_duration_seconds_bucket{")) continue;
    if (!line.includes('route="/api/v1/ingest/requests"') || !line.includes('status="200"')) continue;
    const le = /le="([^"]+)"/.exec(line)![1]!;
    out.set(le === "+Inf" ? Infinity : Number(le), Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return out;
}

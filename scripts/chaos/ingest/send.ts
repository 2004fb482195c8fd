/**
 * The ingest scenarios' HTTP client: one request to the API under test (scripts/bench/harness.ts) over node:http
 * with its token, on a shared keep-alive agent or on a new connection.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import type { Env } from "../../bench/harness.ts";

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export interface Answer {
  status: number;
  ms: number;
  /** From the moment the request had a connection (overload sender only). */
  fromConnMs?: number;
  retryAfter: string | null;
  body: string;
  /** The network error's code, when status is 0 (overload sender only). */
  error?: string | null;
}

/** One request over node:http (a keep-alive agent): status, time, Retry-After; status 0 = network error. */
export function send(
  env: Env,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
  fresh = false,
) {
  return new Promise<Answer>((resolve) => {
    const t0 = performance.now();
    const u = new URL(path, env.url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        agent: fresh ? false : agent, // fresh: a new connection (the server must accept it first)
        timeout: 30 * SECOND_MS,
        headers: {
          authorization: `Bearer ${env.token}`,
          ...(body ? { "content-type": "application/x-ndjson", "content-length": String(body.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - t0,
            retryAfter: (res.headers["retry-after"] as string | undefined) ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", () => resolve({ status: 0, ms: performance.now() - t0, retryAfter: null, body: "" }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) =>
      resolve({ status: 0, ms: performance.now() - t0, retryAfter: null, body: String(e.message) }),
    );
    req.end(body);
  });
}

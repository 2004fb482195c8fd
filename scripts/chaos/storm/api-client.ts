/** The storm's client of the API it runs as a child process, with the bootstrap token. */
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { sleep } from "../lib.ts";

export function stormApi(apiUrl: string, token: string) {
  /** An API call, tried again while the API, its Redis or its Postgres is down (bounded). */
  const api = async (method: string, p: string, body?: unknown, contentType = "application/json") => {
    const until = Date.now() + 2 * MINUTE_MS;
    for (;;) {
      try {
        const res = await fetch(`${apiUrl}${p}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": contentType },
          body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
          signal: AbortSignal.timeout(30 * SECOND_MS),
        });
        const text = await res.text();
        if (res.status < 500) return { status: res.status, body: text ? JSON.parse(text) : null };
      } catch {
        /* down or restarting */
      }
      if (Date.now() > until) throw new Error(`${method} ${p}: the API did not answer for 2 minutes`);
      await sleep(500);
    }
  };
  const must = async (method: string, p: string, body?: unknown) => {
    const r = await api(method, p, body);
    if (r.status >= 300 && r.status !== 409)
      throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  return { api, must };
}

export type StormApi = ReturnType<typeof stormApi>;

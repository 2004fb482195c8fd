/** Requests to the Burnrate API with the admin token; failures say whether they are worth retrying. */
import { MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** Worth retrying: network failure, timeout, 429 or 5xx. */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export interface Api {
  url: string;
  token: string;
}

async function request(
  api: Api,
  method: string,
  p: string,
  opts: { json?: unknown; body?: Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${api.token}`, ...opts.headers };
  let body: string | Buffer | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.body) body = opts.body;
  let res: Response;
  try {
    res = await fetch(api.url + p, {
      method,
      headers,
      body: body as unknown as RequestInit["body"], // a Buffer is a valid body for Node's fetch
      signal: AbortSignal.timeout(opts.timeoutMs ?? MINUTE_MS),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new ApiError(`${method} ${p}: ${why}`, null, true);
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

function fail(method: string, p: string, status: number, body: unknown): never {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const detail = e
    ? `${e.code ?? "error"}: ${e.message ?? ""}`
    : typeof body === "string"
      ? body.slice(0, 200)
      : JSON.stringify(body)?.slice(0, 200);
  throw new ApiError(`${method} ${p} -> ${status} ${detail}`, status, status === 429 || status >= 500);
}

/** A request that must succeed (2xx, or one of `okStatuses`); otherwise an ApiError. */
export async function call<T>(
  api: Api,
  method: string,
  p: string,
  opts: Parameters<typeof request>[3] & { okStatuses?: number[] } = {},
): Promise<{ status: number; body: T }> {
  const r = await request(api, method, p, opts);
  if ((r.status >= 200 && r.status < 300) || opts.okStatuses?.includes(r.status))
    return r as { status: number; body: T };
  fail(method, p, r.status, r.body);
}

import { ErrorBody } from "@burnrate/contracts";
import type { z } from "zod";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Typed fetch: every response is parsed with its contract, so the UI never trusts a shape blindly. */
export async function api<T extends z.ZodType>(
  schema: T,
  path: string,
  init?: RequestInit & { json?: unknown },
): Promise<z.infer<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init?.json !== undefined) headers["content-type"] = "application/json";
  if (init?.method && init.method !== "GET") headers["x-burnrate-csrf"] = "1";
  const res = await fetch(path, {
    ...init,
    headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) },
    body: init?.json !== undefined ? JSON.stringify(init.json) : init?.body,
    credentials: "same-origin",
  });
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const e = ErrorBody.safeParse(body);
    throw new ApiError(
      res.status,
      e.success ? e.data.error.code : "http_error",
      e.success ? e.data.error.message : `HTTP ${res.status}`,
    );
  }
  return schema.parse(body);
}

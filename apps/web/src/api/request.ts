import type { z } from "zod";
import { ApiError, apiErrorFrom } from "./api-error";

export type RequestInitWithJson = RequestInit & { json?: unknown };

/**
 * The web app's one fetch. Sends the session cookie, the CSRF header on writes and `json` as the body; parses a
 * 2xx answer with its contract (so the UI never trusts a shape blindly) and throws an ApiError for any other.
 */
export async function request<T extends z.ZodType>(
  schema: T,
  path: string,
  init?: RequestInitWithJson,
): Promise<z.infer<T>> {
  const { json, ...rest } = init ?? {};
  const headers: Record<string, string> = { accept: "application/json" };
  if (json !== undefined) headers["content-type"] = "application/json";
  if (rest.method && rest.method !== "GET") headers["x-burnrate-csrf"] = "1";
  const res = await fetch(path, {
    ...rest,
    headers: { ...headers, ...(rest.headers as Record<string, string> | undefined) },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    credentials: "same-origin",
  });
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw apiErrorFrom(res.status, body, res.headers.get("retry-after"));
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(
      res.status,
      "invalid_response",
      `the API's answer to ${path.split("?")[0]} does not match its contract` +
        (issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : ""),
    );
  }
  return parsed.data;
}

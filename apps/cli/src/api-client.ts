import type { Opts } from "./options";

/** The API refused or could not be reached; `lines` lists the problems it named, one per line. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}

export async function api(o: Opts, method: string, path: string, body?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (body !== undefined) headers["content-type"] = "application/yaml";
  let res: Response;
  const url = `${o.url.replace(/\/+$/, "")}${path}`;
  try {
    res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    throw new ApiError(
      `cannot reach ${o.url}: ${cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (e as Error).message}`,
    );
  }
  if (!res.ok) {
    let msg = `${method} ${path}: HTTP ${res.status}`;
    const lines: string[] = [];
    try {
      const j = (await res.json()) as {
        error?: {
          message?: string;
          details?: {
            errors?: { document: number; kind: string; name: string; field: string; message: string }[];
          };
        };
      };
      if (j.error?.message) msg = `${msg}: ${j.error.message}`;
      for (const e of j.error?.details?.errors ?? [])
        lines.push(`document ${e.document} (${e.kind} ${e.name}): field ${e.field}: ${e.message}`);
    } catch {
      /* not JSON */
    }
    if (res.status === 401 && !o.token) lines.push("set --token or BURNRATE_TOKEN");
    throw new ApiError(msg, lines.length > 1 ? lines : []);
  }
  return res;
}

import type { FastifyInstance } from "fastify";

/**
 * Requests that put a NUL (and other control characters, and an unpaired surrogate) in every string a route takes: each path parameter,
 * each declared query parameter, every string field of its JSON body schema (read from the OpenAPI document
 * the routes generate), common field names, and a body that is one bare string. `field` is what a 400 must
 * name. Ingest batch bodies (live and history chunks) are left out: their lines are checked one by one by the ingest
 * code.
 */
export interface Probe {
  what: string;
  method: string;
  url: string;
  payload?: string;
  field: string;
}

const NUL = "x\u0000y";
const LONE_SURROGATE = "x\ud800y";
const PER_LINE_BODIES = ["/api/v1/ingest/", "/v1/traces", "/api/v1/history/imports/:importId/chunks/"];
const COMMON_FIELDS = [
  "name",
  "slug",
  "email",
  "team",
  "service",
  "description",
  "reason",
  "filter",
  "route",
];
type Schema = Record<string, unknown>;

function resolve(doc: Schema, s: Schema | undefined): Schema | undefined {
  const ref = s?.$ref as string | undefined;
  if (!ref) return s;
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc) as Schema | undefined;
}

/** Paths ("0" for an array element, "key" for a record's value) of every string a JSON schema admits. */
export function stringPaths(doc: Schema, s0: Schema | undefined, path: string[] = [], depth = 0): string[][] {
  const s = resolve(doc, s0);
  if (!s || depth > 6) return [];
  const out: string[][] = [];
  const types = [s.type].flat();
  if (types.includes("string") && path.length) out.push(path);
  for (const k of ["anyOf", "oneOf", "allOf"] as const)
    for (const sub of (s[k] as Schema[] | undefined) ?? [])
      out.push(...stringPaths(doc, sub, path, depth + 1));
  for (const [k, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {}))
    out.push(...stringPaths(doc, sub, [...path, k], depth + 1));
  if (s.items && typeof s.items === "object")
    out.push(...stringPaths(doc, s.items as Schema, [...path, "0"], depth + 1));
  if (s.additionalProperties && typeof s.additionalProperties === "object")
    out.push(...stringPaths(doc, s.additionalProperties as Schema, [...path, "key"], depth + 1));
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.join(".")) && seen.add(p.join(".")));
}

function withValueAt(path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  return head === "0" ? [withValueAt(rest, value)] : { [head!]: withValueAt(rest, value) };
}

/** Every probe for every API route the app registered (`app.apiRoutes`), plus /healthz, /readyz, /metrics. */
export function hostileProbes(app: FastifyInstance, existingSlug = "cart"): Probe[] {
  const doc = (app as unknown as { swagger(): Schema }).swagger();
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  const out: Probe[] = [];
  for (const route of app.apiRoutes) {
    const method = route.method;
    const op = paths[route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")]?.[method.toLowerCase()];
    const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
    const concrete = (bad?: string) =>
      route.url.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) =>
        p === bad ? encodeURIComponent(NUL) : p === "slug" ? existingSlug : "x",
      );
    const hasBody = method !== "GET" && method !== "DELETE";
    const perLine = PER_LINE_BODIES.some((p) => route.url.startsWith(p));
    const emptyBody = hasBody && !perLine ? { payload: "{}" } : {};
    const at = `${method} ${route.url}`;
    for (const p of params)
      out.push({ what: `${at} params.${p}`, method, url: concrete(p), field: `params.${p}` });
    const query = ((op?.parameters as Schema[] | undefined) ?? []).filter((p) => p.in === "query");
    for (const q of query) {
      const name = q.name as string;
      out.push({
        what: `${at} query.${name}`,
        method,
        url: `${concrete()}?${name}=${encodeURIComponent(NUL)}`,
        ...emptyBody,
        field: `query.${name}`,
      });
    }
    out.push({
      what: `${at} query.team`,
      method,
      url: `${concrete()}?team=${encodeURIComponent("a\u0001b")}`,
      ...emptyBody,
      field: "query.team",
    });
    if (!hasBody || perLine) continue;
    const content = (op?.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
    const fields = stringPaths(doc, content?.["application/json"]?.schema as Schema | undefined);
    for (const f of [...fields, ...COMMON_FIELDS.map((c) => [c])]) {
      const field = `body.${f.join(".")}`;
      out.push({
        what: `${at} ${field}`,
        method,
        url: concrete(),
        payload: JSON.stringify(withValueAt(f, NUL)),
        field,
      });
      // An unpaired surrogate is not text: jsonb refuses its escape, and UTF-8 cannot carry it.
      out.push({
        what: `${at} ${field} (unpaired surrogate)`,
        method,
        url: concrete(),
        payload: JSON.stringify(withValueAt(f, LONE_SURROGATE)),
        field,
      });
    }
    out.push({ what: `${at} body`, method, url: concrete(), payload: JSON.stringify(NUL), field: "body" });
    out.push({
      what: `${at} body.name (U+001B)`,
      method,
      url: concrete(),
      payload: JSON.stringify({ name: "a\u001bb" }),
      field: "body.name",
    });
  }
  for (const url of ["/healthz", "/readyz", "/metrics"])
    out.push({
      what: `GET ${url} query.x`,
      method: "GET",
      url: `${url}?x=${encodeURIComponent(NUL)}`,
      field: "query.x",
    });
  return out;
}

/** What went wrong with one probe's answer, or null when it is a 400 naming the field. */
export function judgeProbe(p: Probe, status: number, body: string): string | null {
  let message = "";
  try {
    message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? "";
  } catch {
    // not JSON
  }
  if (status >= 500) return `${p.what}: ${status} ${body.slice(0, 200)}`;
  // The login throttle answers before the body is read: a 429 there is the throttle doing its job.
  if (status === 429 && p.url === "/api/v1/auth/login") return null;
  // Slack's Events API endpoint checks the signature before it reads a body: unsigned probes get 401 (the
  // incident channel tests send signed hostile events and get the 400 naming the field).
  if (status === 401 && p.url === "/api/v1/slack/events") return null;
  if (status !== 400 || !message.includes(p.field))
    return `${p.what}: expected 400 naming '${p.field}', got ${status} ${message.slice(0, 200)}`;
  return null;
}

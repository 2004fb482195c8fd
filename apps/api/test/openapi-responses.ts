import { appendFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";

/**
 * Checks live answers against the OpenAPI document the app serves: the status must be declared by the route
 * (not only the `default` 500), the media type must be one the status declares, and a JSON body must match
 * the declared schema under a strict validator (ajv, JSON Schema 2020-12, all errors, formats checked).
 */

type Json = Record<string, unknown>;
export interface LiveResponse {
  method: string;
  /** The route template (`/api/v1/slos/:id`), as Fastify matched it. */
  route: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

const COMPONENTS_ID = "urn:burnrate:openapi-components";
// ajv-formats is CommonJS with a default export.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** `#/components/schemas/X` → the components schema added to ajv under its own id. */
function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (!v || typeof v !== "object") return v;
  const out: Json = {};
  for (const [k, child] of Object.entries(v))
    out[k] =
      k === "$ref" && typeof child === "string" && child.startsWith("#/components/schemas/")
        ? `${COMPONENTS_ID}#/$defs/${child.slice("#/components/schemas/".length)}`
        : rewriteRefs(child);
  return out;
}

export class ResponseValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly operations = new Set<string>();
  responses = 0;
  readonly mismatches: string[] = [];

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(schemas) as Json });
  }

  static forApp(app: FastifyInstance): ResponseValidator {
    return new ResponseValidator((app as unknown as { swagger(): Json }).swagger());
  }

  private operation(method: string, route: string): Json | undefined {
    const path = route.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    return ((this.doc.paths as Json)[path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  }

  private resolve(res: Json): Json {
    const ref = res.$ref as string | undefined;
    if (!ref) return res;
    const name = ref.replace("#/components/responses/", "");
    return ((this.doc.components as Json).responses as Json)[name] as Json;
  }

  /** Checks one answer; a route the document leaves out (static files, /healthz, no route) is not counted. */
  check(r: LiveResponse): void {
    const op = this.operation(r.method, r.route);
    if (!op) return;
    const at = `${r.method} ${r.url} → ${r.status}`;
    this.responses++;
    this.operations.add(`${r.method} ${r.route}`);
    const responses = op.responses as Json;
    // `default` stands for the 500 of a bug only: every other status must be declared by itself.
    const declared = (responses[String(r.status)] ?? (r.status === 500 ? responses.default : undefined)) as
      Json | undefined;
    if (!declared) {
      this.mismatches.push(`${at}: status not declared by ${op.operationId as string}`);
      return;
    }
    const res = this.resolve(declared);
    const content = res.content as Record<string, Json> | undefined;
    const media = (r.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (!content) {
      if (r.body.length)
        this.mismatches.push(`${at}: a body where ${op.operationId as string} declares none`);
      return;
    }
    const entry = content[media];
    if (!entry) {
      this.mismatches.push(`${at}: media type '${media}' not declared (${Object.keys(content).join(", ")})`);
      return;
    }
    if (media !== "application/json") return;
    const key = `${op.operationId as string} ${r.status} ${media}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(entry.schema) as Json);
      this.compiled.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      this.mismatches.push(`${at}: not JSON`);
      return;
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
      this.mismatches.push(`${at}: ${errors.join("; ")}`);
    }
  }
}

/**
 * Records every answer of the app (its route, status, media type and the bytes sent) to check them later.
 * The bytes are taken as they leave (the raw response's write and end).
 */
export function recordResponses(app: FastifyInstance, into: LiveResponse[]): void {
  // onSend runs for every answer, the refusals of earlier onRequest hooks included (authentication, hostile
  // input); the raw response is patched there, so it sees the bytes a later onSend hook of a scope made.
  app.addHook("onSend", async (req, reply, payload) => {
    const route = req.routeOptions.url;
    if (!route || req.method === "HEAD" || req.routeOptions.schema?.hide) return payload;
    const raw = reply.raw;
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown) => {
      if (typeof chunk === "string" || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    // Fastify passes the headers to writeHead, where getHeader does not see them.
    let contentType: string | undefined;
    const writeHead = raw.writeHead.bind(raw) as (...a: unknown[]) => typeof raw;
    raw.writeHead = ((...args: unknown[]) => {
      const headers = args.find((a) => a && typeof a === "object" && !Array.isArray(a)) as
        Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(headers ?? {}))
        if (k.toLowerCase() === "content-type") contentType = String(v);
      return writeHead(...args);
    }) as typeof raw.writeHead;
    const write = raw.write.bind(raw) as (...a: unknown[]) => boolean;
    const end = raw.end.bind(raw) as (...a: unknown[]) => typeof raw;
    raw.write = ((chunk: unknown, ...rest: unknown[]) => (
      keep(chunk),
      write(chunk, ...rest)
    )) as typeof raw.write;
    raw.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== "function") keep(chunk);
      into.push({
        method: req.method,
        route,
        url: req.url.split("?")[0]!,
        status: raw.statusCode,
        contentType: contentType ?? (raw.getHeader("content-type") as string | undefined),
        body: Buffer.concat(chunks).toString(),
      });
      return end(chunk, ...rest);
    }) as typeof raw.end;
    return payload;
  });
}

/**
 * Checks every recorded answer against the app's document (before the app closes) and, when
 * BURNRATE_OPENAPI_REPORT names a file, appends the counts to it as one JSON line.
 */
export function checkAgainstOpenApi(
  app: FastifyInstance,
  answers: LiveResponse[],
): { throwOnMismatch(): void } {
  const validator = ResponseValidator.forApp(app);
  for (const r of answers) validator.check(r);
  const report = process.env.BURNRATE_OPENAPI_REPORT;
  if (report)
    appendFileSync(
      report,
      `${JSON.stringify({
        responses: validator.responses,
        operations: [...validator.operations],
        mismatches: validator.mismatches,
      })}\n`,
    );
  return {
    throwOnMismatch() {
      if (validator.mismatches.length)
        throw new Error(
          `${validator.mismatches.length} of ${validator.responses} answers do not match the OpenAPI document:\n${validator.mismatches.slice(0, 30).join("\n")}`,
        );
    },
  };
}

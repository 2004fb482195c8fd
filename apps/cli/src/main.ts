/**
 * burnrate: SLO-as-code against the Burnrate API, with OpenSLO YAML files.
 *
 *   burnrate validate -f slos.yaml        local checks, then a server dry-run
 *   burnrate diff -f slos.yaml [--exit-code]
 *   burnrate apply -f slos.yaml [--reason "…"]
 *   burnrate export [--service slug] [-o file]
 *
 * Connection: --url / BURNRATE_URL (default http://127.0.0.1:8080), --token / BURNRATE_TOKEN.
 * Exit codes: 0 ok; 1 `diff --exit-code` found differences; 2 errors (invalid file, API refusal, network).
 */
import { readFile, writeFile } from "node:fs/promises";
import { FilterError, parseFilter } from "@burnrate/ingest/filter";
import { parseAllDocuments } from "yaml";

export const EXIT = { ok: 0, differences: 1, error: 2 } as const;

const HELP = `usage: burnrate <command> [options]

commands:
  validate -f FILE   check the OpenSLO YAML locally and with a server dry-run
  diff -f FILE       show what apply would change on the server, field by field
  apply -f FILE      import the file (idempotent: a second apply changes nothing)
  export             print the server's SLOs as OpenSLO v1 YAML

options:
  -f, --file FILE    OpenSLO v1/v1alpha YAML ("-" reads stdin)
  --url URL          API base URL (env BURNRATE_URL, default http://127.0.0.1:8080)
  --token TOKEN      API token (env BURNRATE_TOKEN); write scope for apply
  --service SLUG     export: only this service
  -o, --output FILE  export: write to FILE instead of stdout
  --reason TEXT      apply: the reason recorded in each changed SLO's version
  --exit-code        diff: exit 1 when there are differences
  --offline          validate: local checks only
  -v, --verbose      diff/apply: also list unchanged objects
  -h, --help

exit codes: 0 ok, 1 differences (diff --exit-code), 2 errors`;

interface Opts {
  command: string | undefined;
  file?: string;
  url: string;
  token?: string;
  service?: string;
  output?: string;
  reason?: string;
  exitCode: boolean;
  offline: boolean;
  verbose: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Opts {
  const o: Opts = {
    command: undefined,
    url: env.BURNRATE_URL || "http://127.0.0.1:8080",
    ...(env.BURNRATE_TOKEN ? { token: env.BURNRATE_TOKEN } : {}),
    exitCode: false,
    offline: false,
    verbose: false,
    help: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith("-") && v !== "-")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const take = (): string => inline ?? value(i++, flag);
    switch (flag) {
      case "-f":
      case "--file":
        o.file = take();
        break;
      case "--url":
        o.url = take();
        break;
      case "--token":
        o.token = take();
        break;
      case "--service":
        o.service = take();
        break;
      case "-o":
      case "--output":
        o.output = take();
        break;
      case "--reason":
        o.reason = take();
        break;
      case "--exit-code":
        o.exitCode = true;
        break;
      case "--offline":
        o.offline = true;
        break;
      case "-v":
      case "--verbose":
        o.verbose = true;
        break;
      case "-h":
      case "--help":
        o.help = true;
        break;
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
        if (o.command !== undefined) throw new UsageError(`unexpected argument ${a}`);
        o.command = a;
    }
  }
  return o;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io = { out: (s) => process.stdout.write(s + "\n"), err: (s) => process.stderr.write(s + "\n") },
): Promise<number> {
  let o: Opts;
  try {
    o = parseArgs(argv, env);
  } catch (e) {
    io.err(`burnrate: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.error;
  }
  if (o.help || !o.command) {
    (o.help ? io.out : io.err)(HELP);
    return o.help ? EXIT.ok : EXIT.error;
  }
  try {
    switch (o.command) {
      case "validate":
        return await validate(o, io);
      case "diff":
        return await diff(o, io);
      case "apply":
        return await apply(o, io);
      case "export":
        return await exportCmd(o, io);
      default:
        throw new UsageError(`unknown command '${o.command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) io.err(`burnrate: ${e.message}\n\n${HELP}`);
    else if (e instanceof ApiError) {
      io.err(`burnrate: ${e.message}`);
      for (const line of e.lines) io.err(`  ${line}`);
    } else io.err(`burnrate: ${(e as Error).message}`);
    return EXIT.error;
  }
}

async function readInput(o: Opts): Promise<string> {
  if (!o.file) throw new UsageError(`${o.command} needs -f FILE`);
  if (o.file === "-") {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(o.file, "utf8");
  } catch (e) {
    throw new Error(`cannot read ${o.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Checks that need no server: YAML syntax, document shape, filter syntax (with positions). */
export function localProblems(text: string): string[] {
  const problems: string[] = [];
  let index = 0;
  for (const doc of parseAllDocuments(text)) {
    if (!("errors" in doc)) continue;
    if (doc.errors.length > 0) {
      index++;
      const e = doc.errors[0]!;
      const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      problems.push(`document ${index}: YAML: ${e.message.split("\n")[0]}${at}`);
      continue;
    }
    const js: unknown = doc.toJS();
    if (js === null || js === undefined) continue;
    for (const item of Array.isArray(js) ? js : [js]) {
      index++;
      const rec = (typeof item === "object" && item !== null ? item : {}) as Record<string, any>;
      const where = `document ${index} (${String(rec.kind ?? "?")} ${String(rec.metadata?.name ?? "?")})`;
      if (rec.apiVersion !== "openslo/v1" && rec.apiVersion !== "openslo/v1alpha")
        problems.push(`${where}: field apiVersion: must be openslo/v1 or openslo/v1alpha`);
      if (typeof rec.kind !== "string") problems.push(`${where}: field kind: is required`);
      if (typeof rec.metadata?.name !== "string") problems.push(`${where}: field metadata.name: is required`);
      for (const [path, filter] of filters(rec.spec, "spec")) {
        try {
          parseFilter(filter, { extraFields: ["service"] });
        } catch (e) {
          if (e instanceof FilterError) problems.push(`${where}: field ${path}: ${e.message}`);
          else throw e;
        }
      }
    }
  }
  if (index === 0) problems.push("the file holds no OpenSLO documents");
  return problems;
}
function filters(v: unknown, path: string): [string, string][] {
  if (typeof v !== "object" || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => filters(x, `${path}[${i}]`));
  const out: [string, string][] = [];
  for (const [k, x] of Object.entries(v)) {
    if ((k === "filter" || k === "query") && typeof x === "string") out.push([`${path}.${k}`, x]);
    else out.push(...filters(x, `${path}.${k}`));
  }
  return out;
}

class ApiError extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}

async function api(o: Opts, method: string, path: string, body?: string): Promise<Response> {
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

interface Plan {
  dryRun: boolean;
  changed: boolean;
  message: string;
  summary: { created: number; updated: number; unchanged: number };
  changes: {
    kind: string;
    name: string;
    action: "create" | "update" | "unchanged";
    document: number | null;
    fields: { field: string; before: unknown; after: unknown }[];
  }[];
  warnings: string[];
}

async function plan(o: Opts, text: string, dryRun: boolean): Promise<Plan> {
  const q = new URLSearchParams({ dryRun: String(dryRun) });
  if (o.reason) q.set("reason", o.reason);
  const res = await api(o, "POST", `/api/v1/openslo/import?${q}`, text);
  return (await res.json()) as Plan;
}

const show = (v: unknown) => (v === null || v === undefined ? "(none)" : JSON.stringify(v));

function printPlan(p: Plan, io: Io, verbose: boolean): void {
  for (const w of p.warnings) io.err(`warning: ${w}`);
  for (const c of p.changes) {
    if (c.action === "unchanged" && !verbose) continue;
    const sign = c.action === "create" ? "+" : c.action === "update" ? "~" : "=";
    io.out(`${sign} ${c.kind} ${c.name}${c.document ? ` (document ${c.document})` : ""}`);
    for (const f of c.fields)
      io.out(
        c.action === "create"
          ? `    ${f.field}: ${show(f.after)}`
          : `    ${f.field}: ${show(f.before)} → ${show(f.after)}`,
      );
  }
}

async function validate(o: Opts, io: Io): Promise<number> {
  const text = await readInput(o);
  const problems = localProblems(text);
  if (problems.length) {
    for (const p of problems) io.err(p);
    io.err(`${o.file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    return EXIT.error;
  }
  if (o.offline) {
    io.out(`${o.file}: valid (local checks only)`);
    return EXIT.ok;
  }
  const p = await plan(o, text, true);
  for (const w of p.warnings) io.err(`warning: ${w}`);
  io.out(
    `${o.file}: valid; the server would ${p.changed ? p.message.replace(/^would /, "") : "change nothing"}`,
  );
  return EXIT.ok;
}

async function diff(o: Opts, io: Io): Promise<number> {
  const text = await readInput(o);
  const problems = localProblems(text);
  if (problems.length) {
    for (const p of problems) io.err(p);
    return EXIT.error;
  }
  const p = await plan(o, text, true);
  printPlan(p, io, o.verbose);
  io.out(p.changed ? `${p.message}` : "no differences");
  return p.changed && o.exitCode ? EXIT.differences : EXIT.ok;
}

async function apply(o: Opts, io: Io): Promise<number> {
  const text = await readInput(o);
  const problems = localProblems(text);
  if (problems.length) {
    for (const p of problems) io.err(p);
    return EXIT.error;
  }
  const p = await plan(o, text, false);
  printPlan(p, io, o.verbose);
  io.out(p.message);
  return EXIT.ok;
}

async function exportCmd(o: Opts, io: Io): Promise<number> {
  const q = o.service ? `?service=${encodeURIComponent(o.service)}` : "";
  const text = await (await api(o, "GET", `/api/v1/openslo/export${q}`)).text();
  if (o.output) {
    await writeFile(o.output, text);
    io.err(`wrote ${o.output}`);
  } else process.stdout.write(text);
  return EXIT.ok;
}

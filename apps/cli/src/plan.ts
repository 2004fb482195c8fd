/** The server's import plan (a dry run, or what an apply did), and how it is printed. */
import { api } from "./api-client";
import type { Io } from "./io";
import type { Opts } from "./options";

export interface Plan {
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

export async function plan(o: Opts, text: string, dryRun: boolean): Promise<Plan> {
  const q = new URLSearchParams({ dryRun: String(dryRun) });
  if (o.reason) q.set("reason", o.reason);
  const res = await api(o, "POST", `/api/v1/openslo/import?${q}`, text);
  return (await res.json()) as Plan;
}

const show = (v: unknown) => (v === null || v === undefined ? "(none)" : JSON.stringify(v));

export function printPlan(p: Plan, io: Io, verbose: boolean): void {
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
